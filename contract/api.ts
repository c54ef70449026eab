// Request schemas and response types shared by the SPA and the API: one definition of each shape.
import { z } from 'zod'
import type { BackupFreshness } from './backups'

export const ROLES = ['viewer', 'operator', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const usernameSchema = z.string().trim().regex(/^[a-zA-Z0-9_.-]{1,64}$/, { error: '1–64 letters, digits, ".", "_" or "-"' })
export const loginBodySchema = z.strictObject({
  username: z.string().min(1, { error: 'required' }).max(64),
  password: z.string().min(1, { error: 'required' }).max(1024),
})
export const createUserBodySchema = z.strictObject({
  username: usernameSchema,
  password: z.string().min(12, { error: 'at least 12 characters' }).max(1024),
  role: z.enum(ROLES, { error: `one of ${ROLES.join(', ')}` }),
})
export type LoginBody = z.infer<typeof loginBodySchema>
export type CreateUserBody = z.infer<typeof createUserBodySchema>

export interface ApiError { statusCode: number, message: string, data?: unknown }
export interface Health { status: 'ok', version: string }
export interface SessionUser { id: number, username: string, role: Role }
export interface UserRow extends SessionUser { createdAt: string, lastLoginAt: string | null }

export interface TargetSummary { id: string, label: string, reachable: boolean }

export interface Warning { code: string, message: string }

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
  | { total: number, applied: number, pending: number, failed: number, drifted: number, missing: number, destructivePending: number }
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

/** Guarded actions repeat the target's id as `confirm`, so a click on the wrong target does nothing. */
export const confirmField = z.string({ error: 'type the target id to confirm' })
export const skipMigrationsToggleSchema = z.strictObject({
  enabled: z.boolean({ error: 'true to skip migrations on the next start, false to run them' }),
  confirm: confirmField,
})
export type SkipMigrationsToggle = z.infer<typeof skipMigrationsToggleSchema>

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted'
/** A job in one of these states has ended: it will not change again. */
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'interrupted']
export const isFinalJob = (status: string): boolean => (FINAL_JOB_STATUSES as readonly string[]).includes(status)
export interface JobProgress { done?: number, total?: number, bytes?: number, message?: string }
export interface Job {
  id: number
  kind: string
  target: string
  status: JobStatus
  params: Record<string, unknown>
  progress: JobProgress
  result: unknown
  error: string | null
  createdBy: string | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}
export interface JobLogLine { seq: number, at: string, line: string }
export interface JobWithLog extends Job { log: JobLogLine[] }

export const auditQuerySchema = z.object({
  actor: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  target: z.string().max(64).optional(),
  outcome: z.enum(['ok', 'refused'], { error: 'ok or refused' }).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
export type AuditQuery = z.output<typeof auditQuerySchema>
export interface AuditEntry { id: number, at: string, actor: string | null, action: string, target: string | null, params: Record<string, unknown>, outcome: string }

export const migrationRunSchema = z.strictObject({
  confirm: confirmField,
  /** Run pending migrations up to and including this one; default: all pending. */
  upTo: z.string().max(200).optional(),
  /** Destructive findings accepted for this run, as "migration:rule". */
  acknowledge: z.array(z.string().regex(/^[^:]+:[a-z-]+$/, { error: 'as "migration:rule"' })).max(500).default([]),
  /** Run without a fresh backup; the reason is recorded in the audit log. */
  override: z.strictObject({ reason: z.string().trim().min(10, { error: 'at least 10 characters saying why' }).max(1000) }).optional(),
  idempotencyKey: z.string().min(8).max(100).optional(),
})
export type MigrationRunRequest = z.input<typeof migrationRunSchema>

export const confirmBodySchema = z.strictObject({ confirm: confirmField })
export const takeBackupSchema = z.strictObject({ confirm: confirmField, label: z.string().trim().max(200).optional() })
