// A target's overview: connection, app role, SKIP_MIGRATIONS and the capability summaries.
import { z } from 'zod'
import type { BackupsVerdict } from './backups'
import type { TrackerState } from './migrations'
import type { GateResult } from './checklists'
import { confirmField, type Warning } from './http'

/** Who a target is: `environment` as configured (production unless said otherwise), `colour` its optional accent. */
export interface TargetIdentity { id: string, label: string, environment: string, colour: string | null }

export interface TargetSummary extends TargetIdentity { reachable: boolean }

/** One place SKIP_MIGRATIONS is set for the app's process. */
export interface SkipMigrationsSource {
  kind: 'env-file' | 'pm2' | 'systemd'
  file: string
  line: number
  /** What this place sets; null when it is code dbsafe does not run (a PM2 `process.env.X`, a spread). */
  value: string | null
  /** The setting process.env.SKIP_MIGRATIONS comes from. */
  wins: boolean
  /** Where in the file: `env_production`, `Environment=`, `EnvironmentFile= of … line 9`. */
  block?: string
  /** Why it does not count, or what to know about it. */
  note?: string
}

export interface SkipMigrationsState {
  envFile: string
  exists: boolean
  /** The string the app will see in process.env.SKIP_MIGRATIONS, or null when unset (or set by code). */
  value: string | null
  /** The env file's lines that set it. */
  occurrences: { line: number, value: string }[]
  /** True exactly when the app will skip migrations on its next start. */
  effective: boolean
  warnings: Warning[]
  /**
   * Every place that sets it, in the order the process sees them: systemd, then PM2 (both before the
   * app starts), then the env file, which dotenv reads only for variables not already set.
   */
  sources: SkipMigrationsSource[]
  /** The source that decides; null when nothing sets SKIP_MIGRATIONS. `effective` follows it. */
  winner: SkipMigrationsSource | null
  /** False when code dbsafe does not run may set SKIP_MIGRATIONS: `effective` is then the cautious answer. */
  certain: boolean
}

export type Connection =
  | { ok: true, serverVersion: string, database: string, user: string, databaseSizeBytes: number }
  /** `since`: when this console first failed to reach the target in the current run of failures. */
  | { ok: false, error: string, since: string }

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
  | {
    count: number, newest: { id: string, status: 'verified' | 'unverified' | 'corrupt' | 'partial', createdAt: string } | null, newestVerifiedAt: string | null
    /** `BackupsVerdict.scheduled.warning`: the app's scheduled backup is not healthy, whatever manual backups say. */
    scheduledWarning: string | null
  }
  | { error: string }

export interface Overview {
  target: TargetIdentity
  connection: Connection
  appRole: string | null
  skipMigrations: SkipMigrationsState
  /** null while the target cannot be reached. */
  privileges: PrivilegesSummary | null
  migrations: MigrationsSummary | null
  backups: BackupsSummary
  /** The same facts in full, judged by the target's configured max age; also GET …/backups/freshness. */
  backupFreshness: BackupsVerdict | { error: string }
}

export const skipMigrationsToggleSchema = z.strictObject({
  enabled: z.boolean({ error: 'true to skip migrations on the next start, false to run them' }),
  confirm: confirmField.optional(),
})
export type SkipMigrationsToggle = z.infer<typeof skipMigrationsToggleSchema>

/** A deploy as the verdict names it: `state` "at <step>" while open, "ended" once it has an outcome; null when there is none. */
export type DeploySummary = { id: number, state: string, startedAt: string, outcome: string | null } | null

/** Where in the SPA a blocker or warning is fixed: a page of the target (`''` is its overview). */
export type TargetPage = '' | 'backups' | 'migrations' | 'privileges' | 'monitoring' | 'checklists' | 'deploy'

export const targetPagePath = (target: string, page: TargetPage): string => `/targets/${encodeURIComponent(target)}${page ? `/${page}` : ''}`

/** A failing item of the pre-deploy gate, with the page that fixes it. */
export interface VerdictBlocker { key: string, label: string, reason: string, detail?: string, page: TargetPage }
export interface VerdictWarning { key: string, message: string, page: TargetPage }

/**
 * One answer to "can we deploy this target now?": the pre-deploy gate's own evaluation (GET …/gate), the same
 * items and pass, read through the shared-read cache. `deploying` while a deploy of the target is open.
 */
export interface TargetVerdict {
  target: TargetIdentity
  state: 'ready' | 'blocked' | 'deploying'
  checkedAt: string
  /** Failing gate items, in the checklist's order: the first is the one the home page names. */
  blockers: VerdictBlocker[]
  /** What does not block but must not be hidden: an unhealthy scheduled backup. */
  warnings: VerdictWarning[]
  /** Every gate item with its pass and evidence, as GET …/gate returns them. */
  gate: GateResult
  /** The newest restore-tested backup: "can we restore now". */
  newestRestoreTested: { id: string, createdAt: string, verifiedAt: string | null } | null
  /** The open deploy, if any. */
  deploy: DeploySummary
  lastDeploy: DeploySummary
}
