// A target's overview: connection, app role, SKIP_MIGRATIONS and the capability summaries.
import { z } from 'zod'
import type { BackupFreshness } from './backups'
import type { TrackerState } from './migrations'
import { confirmField, type Warning } from './http'

export interface TargetSummary { id: string, label: string, reachable: boolean }

export interface SkipMigrationsState {
  envFile: string
  exists: boolean
  /** The string the app will see in process.env.SKIP_MIGRATIONS, or null when unset. */
  value: string | null
  occurrences: { line: number, value: string }[]
  /** True exactly when the app will skip migrations on its next start. */
  effective: boolean
  warnings: Warning[]
}

export type Connection =
  | { ok: true, serverVersion: string, database: string, user: string, databaseSizeBytes: number }
  | { ok: false, error: string }

export type PrivilegesSummary =
  | { role: string, verdict: 'unsafe' | 'warning' | 'safe', topFinding: string | null, findings: number }
  | { error: string }

export type MigrationsSummary =
  | {
    total: number, applied: number, pending: number, failed: number, drifted: number, missing: number, destructivePending: number
    /** Rows nobody can place because the tracker cannot be read. */
    unknown: number
    tracker: TrackerState
    /**
     * Set when the app's own connection cannot read the app's tracker: such an app may take the database for
     * a new one and rerun every migration on its next start. Destructive severity.
     */
    appCannotReadTracker: string | null
  }
  | { error: string }

/** A short form of `Overview.backupFreshness`: the newest backup that is not partial and when the newest verified one was taken. */
export type BackupsSummary =
  | { count: number, newest: { id: string, status: 'verified' | 'unverified' | 'corrupt' | 'partial', createdAt: string } | null, newestVerifiedAt: string | null }
  | { error: string }

export interface Overview {
  target: { id: string, label: string }
  connection: Connection
  appRole: string | null
  skipMigrations: SkipMigrationsState
  /** null while the target cannot be reached. */
  privileges: PrivilegesSummary | null
  migrations: MigrationsSummary | null
  backups: BackupsSummary
  /** The same facts in full, judged by the target's configured max age; also GET …/backups/freshness. */
  backupFreshness: BackupFreshness | { error: string }
}

export const skipMigrationsToggleSchema = z.strictObject({
  enabled: z.boolean({ error: 'true to skip migrations on the next start, false to run them' }),
  confirm: confirmField,
})
export type SkipMigrationsToggle = z.infer<typeof skipMigrationsToggleSchema>
