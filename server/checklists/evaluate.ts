import type pg from 'pg'
import type { AutoCheck, AutoParams, AutoResult } from '~contract/checklists'
import type { MigrationStatus } from '~contract/migrations'
import { listBackups } from '../backups/inventory'
import type { TargetConfig } from '../config/schema'
import { readEnvFile } from '../envfile/read'
import { migrationPool } from '../database/target-pool'
import { discoverTargetMigrations, targetMigrationStatus } from '../migrations/target-status'
import { errorText } from '../database/error-text'
import { type CheckContext, type ListBackups } from './auto/context'
import { runCheck } from './auto/registry'

export interface EvaluateOptions {
  now?: Date
  /** The backups inventory: one the caller has read already (the verdict), or a stand-in in tests. */
  listBackups?: ListBackups
}

export interface AutoItemRef { key: string, check: AutoCheck, params?: AutoParams }

/** Evaluates automatic items against live state, all at once; each result carries what it saw and when. */
export async function evaluateAutoItems(consoleDb: pg.Pool, target: TargetConfig, items: AutoItemRef[], jobsSince: Date,
  opts: EvaluateOptions = {}): Promise<Map<string, AutoResult>> {
  const now = opts.now ?? new Date()
  let env
  try {
    env = readEnvFile(target.envFile)
  } catch (err) {
    const evidence = { value: 'could not check', seenAt: now.toISOString(), detail: `env file: ${errorText(err)}` }
    return new Map(items.map((i) => [i.key, { pass: false, evidence }]))
  }
  let migrations: Promise<MigrationStatus> | undefined
  const base: Omit<CheckContext, 'params'> = {
    target, consoleDb, env, now, jobsSince,
    listBackups: opts.listBackups ?? listBackups,
    migrations: () => (migrations ??= loadMigrations(target)),
  }
  const results = await Promise.all(items.map(async (i) => [i.key, await runCheck(i.check, { ...base, params: i.params ?? {} })] as const))
  return new Map(results)
}

async function loadMigrations(target: TargetConfig): Promise<MigrationStatus> {
  const { files } = await discoverTargetMigrations(target)
  return targetMigrationStatus(migrationPool(target), target, files)
}
