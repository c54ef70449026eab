// Monitoring shapes shared by the SPA and the API (types only).

export interface ConnectionStateCount {
  /** pg_stat_activity.state; "unknown" where the session belongs to another role and the console may not see it. */
  state: string
  count: number
}

export interface MonitoringConnections {
  /** Client backends in every database of the server. */
  byState: ConnectionStateCount[]
  total: number
  /** max_connections */
  max: number
  /** superuser_reserved_connections: slots only superusers may take. */
  reserved: number
  usedPercent: number
}

export interface TableSize {
  schema: string
  name: string
  totalBytes: number
  tableBytes: number
  indexBytes: number
  /** pg_class.reltuples, null until the table has been vacuumed or analysed. */
  rowEstimate: number | null
  /**
   * An ACCESS EXCLUSIVE lock is held or awaited on it, so its sizes are estimates from planner statistics
   * (reading it would wait behind the lock).
   */
  locked: boolean
}

export interface RunningQuery {
  pid: number
  user: string | null
  database: string | null
  state: string | null
  durationMs: number
  /** Truncated to 300 characters; "<insufficient privilege>" for other roles' sessions without pg_monitor. */
  query: string
  waitEvent: string | null
}

export interface OpenTransaction {
  pid: number
  user: string | null
  state: string | null
  xactAgeMs: number
  query: string
}

export interface LockWait {
  pid: number
  user: string | null
  /** The relation waited on, when the lock is on a relation of this database. */
  relation: string | null
  lockType: string
  mode: string
  waitingMs: number | null
  blockedBy: number[]
  query: string
}

export interface MonitoringSnapshot {
  takenAt: string
  database: { name: string, sizeBytes: number }
  /** Who the console connects as, and whether it may see every session (superuser or pg_read_all_stats/pg_monitor). */
  access: { user: string, seesAllSessions: boolean }
  connections: MonitoringConnections
  largestTables: TableSize[]
  longestQueries: RunningQuery[]
  openTransactions: OpenTransaction[]
  locksWaiting: LockWait[]
}

export interface SizeSample { at: string, sizeBytes: number }
