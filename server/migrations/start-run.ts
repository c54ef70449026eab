import type pg from 'pg'
import { isPendingOrFailed, type MigrationStatement, type MigrationsView } from '~contract/migrations'
import type { TargetConfig } from '../config/schema'
import { BusyError } from '../errors'
import { holdAdvisoryLock, startJob, type HeldLock, type JobPlan } from '../jobs/lifecycle'
import { applyMigrations } from './apply'
import { isCommandTarget, runThroughCommand } from './command-run'
import { migrationPool } from '../database/target-pool'
import { migrationSession, nameMigrationSession } from './session'
import { splitStatements } from './lint/statements'
import { planRun, type Refusal, type RunOptions } from './plan'
import { loadMigrations } from './view'

// One run per target database at a time, whichever console instance asks: a session-level advisory
// lock on the target, held by the connection that applies the migrations until the job ends.
export const MIGRATION_LOCK_KEY = 7_305_146_002

export class MigrationBusyError extends BusyError {}
export const JOB_KIND = 'migrations.run'

export interface StartRun extends RunOptions { idempotencyKey?: string }
export type StartResult = { jobId: number, created: boolean } | { refusal: Refusal }

export async function startMigrationRun(consoleDb: pg.Pool, target: TargetConfig, actor: string, req: StartRun,
  newestUsableBackupAt: () => Promise<Date | null>): Promise<StartResult> {
  return startJob(consoleDb, {
    kind: JOB_KIND, target: target.id, actor, idempotencyKey: req.idempotencyKey,
    lock: () => lockMigrations(target),
    plan: (client) => planJob(client, target, actor, req, newestUsableBackupAt),
  })
}

async function lockMigrations(target: TargetConfig): Promise<HeldLock<pg.Client>> {
  const client = await migrationSession(target)
  return holdAdvisoryLock(client, [MIGRATION_LOCK_KEY], () => new MigrationBusyError(`A migration run is already in progress on ${target.label}`),
    () => client.end().catch(() => {}))
}

/** The view and the statements of every pending file dbsafe would run: what the run's checks read. */
export async function loadRunInputs(pool: pg.Pool, target: TargetConfig): Promise<{ view: MigrationsView, statements: Map<string, MigrationStatement[]> }> {
  const { view, files, serverVersionNum: version } = await loadMigrations(pool, target)
  const statements = new Map<string, MigrationStatement[]>()
  for (const row of view.runner.via === 'dbsafe' ? view.migrations : []) {
    const file = files.get(row.name)
    if (file && isPendingOrFailed(row) && !row.findings.some((f) => f.rule === 'parse-error')) {
      statements.set(row.name, await splitStatements(file.text, version))
    }
  }
  return { view, statements }
}

// Under the lock: the files as read now are the bytes the run applies, on the client that holds the lock.
async function planJob(client: pg.Client, target: TargetConfig, actor: string, req: StartRun,
  newestUsableBackupAt: () => Promise<Date | null>): Promise<JobPlan<{ applied: string[] }> | { refusal: Refusal }> {
  const pool = migrationPool(target)
  const { view, statements } = await loadRunInputs(pool, target)
  const plan = planRun(view.migrations, statements, req, { newestUsableAt: await newestUsableBackupAt(), maxAgeMinutes: target.preMigrationBackupMaxAgeMinutes, now: new Date() },
    { runner: view.runner, tracker: view.tracker })
  if (!plan.ok) return { refusal: plan.refusal }
  const params = { migrations: plan.run.map((r) => r.name), acknowledged: plan.acknowledged, ...(req.override ? { override: req.override.reason } : {}) }
  if (isCommandTarget(target)) {
    return { params: { ...params, via: 'command' }, run: (ctx) => runThroughCommand(pool, target, plan.run, { upTo: req.upTo }, ctx) }
  }
  const toApply = plan.run.map((r) => ({ name: r.name, checksum: r.checksum!, statements: statements.get(r.name)! }))
  return {
    params,
    run: async (ctx) => {
      await nameMigrationSession(client, ctx.jobId)
      return applyMigrations(client, toApply, {
        table: target.migrationsTable, actor, lockTimeout: target.lockTimeout, statementTimeout: target.statementTimeout,
      }, ctx)
    },
  }
}
