import type pg from 'pg'
import { isPendingOrFailed, type MigrationStatement } from '../../contract/migrations'
import { recordAudit } from '../audit/record'
import type { TargetConfig } from '../config/schema'
import { runJob } from '../jobs/run'
import { createJob, findJobByKey } from '../jobs/store'
import { applyMigrations } from './apply'
import { migrationPool } from './connection'
import { splitStatements } from './lint/statements'
import { planRun, type Refusal, type RunOptions } from './plan'
import { loadMigrations } from './view'

// One run per target database at a time, whichever console instance asks: a session-level advisory
// lock on the target, held by the connection that applies the migrations until the job ends.
export const MIGRATION_LOCK_KEY = 7_305_146_002

export class MigrationBusyError extends Error {}
export const JOB_KIND = 'migrations.run'

export interface StartRun extends RunOptions { idempotencyKey?: string }
export type StartResult = { jobId: number, created: boolean } | { refusal: Refusal }

export async function startMigrationRun(consoleDb: pg.Pool, target: TargetConfig, actor: string, req: StartRun,
  newestUsableBackupAt: () => Promise<Date | null>): Promise<StartResult> {
  if (req.idempotencyKey) {
    const existing = await findJobByKey(consoleDb, JOB_KIND, target.id, req.idempotencyKey)
    if (existing) return { jobId: existing.id, created: false }
  }
  const pool = migrationPool(target)
  const client = await pool.connect()
  const release = async () => {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {})
    client.release()
  }
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY])
    .catch(async (err) => { client.release(); throw err })
  if (!rows[0].locked) {
    client.release()
    throw new MigrationBusyError(`A migration run is already in progress on ${target.label}`)
  }
  try {
    const { view, files, serverVersionNum: version } = await loadMigrations(pool, target)
    const statements = new Map<string, MigrationStatement[]>()
    for (const row of view.migrations) {
      const file = files.get(row.name)
      if (file && isPendingOrFailed(row) && !row.findings.some((f) => f.rule === 'parse-error')) {
        statements.set(row.name, await splitStatements(file.sql, version))
      }
    }
    const plan = planRun(view.migrations, statements, req, { newestUsableAt: await newestUsableBackupAt(), maxAgeMinutes: target.preMigrationBackupMaxAgeMinutes, now: new Date() })
    if (!plan.ok) {
      await release()
      return { refusal: plan.refusal }
    }
    const names = plan.run.map((r) => r.name)
    const { job } = await createJob(consoleDb, {
      kind: JOB_KIND, target: target.id, createdBy: actor, idempotencyKey: req.idempotencyKey,
      params: { migrations: names, acknowledged: plan.acknowledged, ...(req.override ? { override: req.override.reason } : {}) },
    })
    const toApply = plan.run.map((r) => ({ name: r.name, checksum: r.checksum!, statements: statements.get(r.name)! }))
    void runJob(consoleDb, job.id, (ctx) => applyMigrations(client, toApply, {
      table: target.migrationsTable, actor, lockTimeout: target.lockTimeout, statementTimeout: target.statementTimeout,
    }, ctx))
      .then((result) => recordAudit(consoleDb, { actor, action: 'migrations.run.finished', target: target.id, params: { jobId: job.id }, outcome: result ? 'ok' : 'failed' }))
      .catch(() => {})
      .finally(release)
    return { jobId: job.id, created: true }
  } catch (err) {
    await release()
    throw err
  }
}
