import type pg from 'pg'
import type { AutoCheck, AutoParams, AutoResult, ChecklistPhase } from '~contract/checklists'
import type { MigrationStatus } from '~contract/migrations'
import { listBackups } from '../backups/inventory'
import type { TargetConfig } from '../config/schema'
import { readEnvFile } from '../envfile/read'
import { migrationPool } from '../database/target-pool'
import { discoverTargetMigrations, targetMigrationStatus } from '../migrations/target-status'
import { errorText } from '../database/error-text'
import { type CheckContext, type ListBackups } from './auto/context'
import { runCheck } from './auto/registry'
import { failedJobsSince } from './rules'
import { previousCompletedAt } from './store'

export interface EvaluateOptions {
  now?: Date
  /** The backups inventory: one the caller has read already (the verdict), or a stand-in in tests. */
  listBackups?: ListBackups
}

export interface AutoItemRef { key: string, check: AutoCheck, params?: AutoParams }

/**
 * The one evaluation of a phase's automatic items behind the gate, the verdict, checklist runs and deploy steps:
 * failed jobs count since the phase's previous completed run (`exceptRun`: the run being evaluated is not its own previous).
 */
export async function evaluatePhase(consoleDb: pg.Pool, target: TargetConfig, phase: ChecklistPhase, items: AutoItemRef[],
  opts: EvaluateOptions = {}, exceptRun?: number): Promise<Map<string, AutoResult>> {
  const now = opts.now ?? new Date()
  const since = failedJobsSince(await previousCompletedAt(consoleDb, target.id, phase, exceptRun), now)
  return evaluateAutoItems(consoleDb, target, items, since, { ...opts, now })
}

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
