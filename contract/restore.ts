// Emergency restore shapes shared by the SPA and the API: request schemas and result types.
import { z } from 'zod'
import { confirmField } from './http'
import type { VerifiedTable } from './backups'

/** UTC `YYYYMMDD_HHMMSS`: which restore an undo brings back. */
export const restoreStampSchema = z.string().regex(/^\d{8}_\d{6}$/, { error: 'a restore stamp, YYYYMMDD_HHMMSS' })
export const undoRestoreSchema = z.strictObject({ stamp: restoreStampSchema, confirm: confirmField })
export const backupPathSchema = z.object({ target: z.string(), backup: z.string().min(1).max(255) })
// PostgreSQL names are at most 63 bytes; only a restore's leftovers are ever named here.
export const leftoverPathSchema = z.object({
  target: z.string(),
  name: z.string().max(63).regex(/_(before_restore|restored|restore)_\d{8}_\d{6}$/, { error: 'a leftover of an emergency restore, <database>_before_restore_<stamp>' }),
})

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

/** GET …/restore/leftovers: what emergency restores left beside the live database, or why there is no emergency restore. */
export type RestoreLeftoversView =
  | { available: true, database: string, role: string, busy: boolean, leftovers: RestoreLeftover[] }
  | { available: false, reason: string, code?: string, sql?: string }
