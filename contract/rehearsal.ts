// Deploy rehearsal shapes shared by the SPA and the API (types only).
import type { BackupFormat } from './backups'

/** A relation lock a migration held at its end, as PostgreSQL names the modes ("ACCESS EXCLUSIVE", "SHARE"). */
export interface RelationLock {
  schema: string
  name: string
  /** table, partitioned table, index, sequence, materialized view, view, foreign table, … */
  kind: string
  /** Strongest first. */
  modes: string[]
  /** Before the migration; for a relation it created, at its end. */
  sizeBytes: number
  /** pg_class.reltuples after ANALYZE of the restored copy; -1 when unknown. */
  rowEstimate: number
  createdHere?: boolean
  droppedHere?: boolean
}

export interface RehearsalError {
  /** 1-based line in the file: where PostgreSQL points, else the statement's first line; null before the first statement. */
  line: number | null
  /** The statement's text, trimmed (shortened when long). */
  statement: string | null
  message: string
  /** SQLSTATE, e.g. 42P01. */
  code?: string
  detail?: string
  hint?: string
}

export interface RehearsedMigration {
  name: string
  /** sha256 hex of the file's bytes as rehearsed. */
  checksum: string
  /** Applied on the target already but not in the backup: run first so the copy matches the target. */
  catchUp: boolean
  status: 'ok' | 'failed' | 'not-run'
  durationMs: number | null
  /** ACCESS EXCLUSIVE locks and the locks on the largest relations; null when not run or run outside a transaction. */
  locks: RelationLock[] | null
  /** Locks held but left out of `locks`. */
  locksOmitted?: number
  error?: RehearsalError
  note?: string
}

export interface RehearsalBackup {
  id: string
  createdAt: string
  status: 'verified' | 'unverified'
  format: BackupFormat
  sizeBytes: number
  mtimeMs: number
  sha256: string
  label?: string
}

export interface Rehearsal {
  id: number
  target: string
  /** Every migration that ran succeeded. */
  ok: boolean
  startedAt: string
  finishedAt: string
  /** Where the scratch database was created. */
  server: 'restore-test' | 'target'
  backup: RehearsalBackup
  restoreMs: number
  /** In run order: catch-up migrations first, then the target's pending ones. */
  migrations: RehearsedMigration[]
  createdBy: string | null
}

/** How the pending files now differ from the ones a rehearsal ran. */
export interface RehearsalDrift {
  changed: boolean
  /** Rehearsed with other bytes. */
  modified: string[]
  /** Pending now, not rehearsed. */
  added: string[]
  /** Rehearsed, no longer pending (applied since, or removed). */
  noLongerPending: string[]
}

/** GET …/migrations/rehearsal: the latest rehearsal of the target and how the pending files differ from it now; both null before the first. */
export interface LatestRehearsal {
  rehearsal: Rehearsal | null
  drift: RehearsalDrift | null
}
