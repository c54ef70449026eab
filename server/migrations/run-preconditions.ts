import type pg from 'pg'
import { ACTIVE_JOB_STATUSES } from '~contract/jobs'
import type { RunCheck, RunPreconditions } from '~contract/migrations'
import type { TargetConfig } from '../config/schema'
import { migrationPool } from '../database/target-pool'
import { listJobs } from '../jobs/store'
import { newestUsableBackupAt } from './backup-freshness'
import { runChecks } from './plan'
import { JOB_KIND, loadRunInputs } from './start-run'

/**
 * What a run of every pending migration would meet now: the run's own checks, with nothing acknowledged and no
 * override yet (the dialog collects those), plus whether another run is in progress.
 */
export async function runPreconditions(consoleDb: pg.Pool, target: TargetConfig): Promise<RunPreconditions> {
  const [{ view, statements }, newestUsableAt, [running]] = await Promise.all([
    loadRunInputs(migrationPool(target), target),
    newestUsableBackupAt(consoleDb, target),
    listJobs(consoleDb, { target: target.id, kinds: [JOB_KIND], statuses: ACTIVE_JOB_STATUSES, limit: 1 }),
  ])
  const checks: RunCheck[] = runChecks(view.migrations, statements, { acknowledge: [] },
    { newestUsableAt, maxAgeMinutes: target.preMigrationBackupMaxAgeMinutes, now: new Date() },
    { runner: view.runner, tracker: view.tracker }).map(({ refusal: _, ...check }) => check)
  checks.push({ id: 'no-other-run', ok: !running, text: running ? `Run #${running.id} by ${running.createdBy ?? 'someone'} is still in progress` : 'No other run is in progress' })
  return { checks, runningJobId: running?.id ?? null }
}
