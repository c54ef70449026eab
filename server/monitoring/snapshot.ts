import type pg from 'pg'
import type { MonitoringSnapshot } from '~contract/monitoring'
import { activity, locksWaiting } from './activity'
import { MARK } from './sql'
import { largestTables } from './tables'

/**
 * One look at the server: four set-based catalog queries run side by side on the target's bounded
 * pool (at most four connections), whatever the number of tables or sessions.
 */
export async function monitoringSnapshot(pool: pg.Pool): Promise<MonitoringSnapshot> {
  const [server, tables, sessions, locks] = await Promise.all([
    serverState(pool), largestTables(pool), activity(pool), locksWaiting(pool),
  ])
  const total = sessions.byState.reduce((sum, s) => sum + s.count, 0)
  return {
    takenAt: new Date().toISOString(),
    database: { name: server.name, sizeBytes: server.sizeBytes },
    access: { user: server.user, seesAllSessions: server.seesAll },
    connections: {
      byState: sessions.byState, total, max: server.max, reserved: server.reserved,
      usedPercent: server.max > 0 ? Math.round((total / server.max) * 1000) / 10 : 0,
    },
    largestTables: tables,
    longestQueries: sessions.longestQueries,
    openTransactions: sessions.openTransactions,
    locksWaiting: locks,
  }
}

interface ServerRow {
  name: string
  user: string
  sizeBytes: number
  max: number
  reserved: number
  seesAll: boolean
}

async function serverState(pool: pg.Pool): Promise<ServerRow> {
  const { rows } = await pool.query<ServerRow>(`${MARK}
    SELECT current_database() AS name, current_user AS "user",
      pg_database_size(current_database())::float8 AS "sizeBytes",
      current_setting('max_connections')::int AS max,
      current_setting('superuser_reserved_connections')::int AS reserved,
      pg_has_role('pg_read_all_stats', 'USAGE') AS "seesAll"`)
  return rows[0]
}
