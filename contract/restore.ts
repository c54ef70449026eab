// Emergency restore shapes shared by the SPA and the API (types only).
import type { VerifiedTable } from './backups'

export type RestoreStepName = 'preflight' | 'skip-migrations' | 'safety-backup' | 'restore' | 'counts' | 'privileges' | 'swap'

export interface RestoreStep {
  step: RestoreStepName
  status: 'ok' | 'failed' | 'not-run'
  detail?: string
  durationMs?: number
}

export interface EmergencyRestoreResult {
  ok: boolean
  target: string
  /** The backup's id in the target's backups dir. */
  backup: string
  /** UTC `YYYYMMDD_HHMMSS`, in every database name this restore made. */
  stamp: string
  /** The live database's name, before and after. */
  database: string
  /** Where the backup was restored (`<db>_restore_<stamp>`); after the swap it carries the live name. */
  restoredInto: string
  /** The previous live database after the swap (`<db>_before_restore_<stamp>`); null when no swap happened. */
  setAside: string | null
  skipMigrations: { before: string | null, changed: boolean, envBackup: string | null }
  safetyBackup: { file: string, sizeBytes: number } | null
  comparedWith: 'manifest' | 'dump' | null
  tables: VerifiedTable[]
  privileges: { ownerChanges: number, grants: number, statements: number } | null
  swap: { attempts: number, sessionsEnded: number } | null
  notes: string[]
  steps: RestoreStep[]
  /** Why it failed; the live database is then untouched and the restored copy dropped. */
  error?: string
  durationMs: number
}

export interface UndoRestoreResult {
  database: string
  stamp: string
  /** The database that is live again (was `<db>_before_restore_<stamp>`). */
  broughtBack: string
  /** The restored database, kept as `<db>_restored_<stamp>`. */
  setAside: string
  swap: { attempts: number, sessionsEnded: number }
  durationMs: number
}

export interface RestoreLeftover {
  name: string
  /** before_restore: the live database a restore set aside (undo or drop); restored: set aside by an undo; restore: a restore that never finished. */
  kind: 'before_restore' | 'restored' | 'restore'
  stamp: string
  /** When the restore that made it started (from the stamp). */
  madeAt: string
  /** null when the restore role may not connect to it. */
  sizeBytes: number | null
  sessions: number
  owner: string
}
