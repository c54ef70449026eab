import type pg from 'pg'
import type { BackupEntry } from '~contract/backups'
import type { AutoParams, AutoResult } from '~contract/checklists'
import type { MigrationStatus } from '~contract/migrations'
import type { TargetConfig } from '~server/config/schema'
import type { EnvFile } from '~server/envfile/read'

export type ListBackups = (consoleDb: pg.Pool, target: TargetConfig) => Promise<BackupEntry[]>

/** Everything an automatic item may look at; one context serves every item of one evaluation. */
export interface CheckContext {
  target: TargetConfig
  consoleDb: pg.Pool
  env: EnvFile
  now: Date
  /** Start of the window no-failed-jobs looks at. */
  jobsSince: Date
  params: AutoParams
  listBackups: ListBackups
  /** Shared by no-drift and no-pending: read once per evaluation. */
  migrations: () => Promise<MigrationStatus>
}

export type AutoEvaluator = (ctx: CheckContext) => Promise<AutoResult>

export function result(ctx: CheckContext, pass: boolean, value: string, detail?: string): AutoResult {
  return { pass, evidence: { value, seenAt: ctx.now.toISOString(), ...(detail ? { detail } : {}) } }
}

export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 60) return `${Math.max(minutes, 0)} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ${minutes % 60} min`
  return `${Math.floor(hours / 24)} days`
}

/** An instant in evidence text: minutes and UTC, readable in a log or a terminal. */
export function formatInstant(d: Date | string): string {
  return `${new Date(d).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
