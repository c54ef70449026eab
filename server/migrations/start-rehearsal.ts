import type pg from 'pg'
import type { Rehearsal } from '~contract/rehearsal'
import { restoreServer } from '../backups/scratch'
import type { TargetConfig } from '../config/schema'
import { BusyError } from '../errors'
import { holdAdvisoryLock, startJob, type HeldLock, type JobPlan } from '../jobs/lifecycle'
import { openSession } from '../database/session'
import { migrationConnection } from '../database/target-pool'
import { chooseBackup } from './rehearsal-backup'
import { planRehearsal, rehearseMigrations } from './rehearse'

// One rehearsal per target at a time, whichever console instance asks: a session-level advisory lock on
// the target database, beside (not shared with) the migration run's, since a rehearsal only reads the target.
export const REHEARSAL_LOCK_KEY = 7_305_146_003
export const REHEARSE_JOB = 'migrations.rehearse'

export class RehearsalBusyError extends BusyError {}

/**
 * Starts a rehearsal job. Under the lock, before any job exists, it checks what the job would refuse:
 * nothing pending, drift, no usable backup (RehearsalRefusedError), a restore role that could escalate or
 * may not create databases (RefusedError from restoreServer). The job rehearses the backup chosen here.
 */
export async function startRehearsal(consoleDb: pg.Pool, target: TargetConfig, actor: string): Promise<number> {
  const { jobId } = await startJob(consoleDb, {
    kind: REHEARSE_JOB, target: target.id, actor,
    lock: () => lockRehearsal(target),
    plan: () => planJob(consoleDb, target, actor),
  })
  return jobId
}

async function planJob(consoleDb: pg.Pool, target: TargetConfig, actor: string): Promise<JobPlan<Rehearsal>> {
  const plan = await planRehearsal(target)
  const chosen = await chooseBackup(consoleDb, target)
  await restoreServer(target, { restoreTestUrl: target.restoreTestUrl, databaseUrl: target.backupDatabaseUrl })
  return {
    params: { backup: chosen.backup.id, migrations: [...plan.pending] },
    run: async (ctx) => {
      const r = await rehearseMigrations(consoleDb, target, { chosen, who: actor }, ctx)
      // Recorded either way; a failing migration fails the job, as a failed restore test does.
      const failed = r.migrations.find((m) => m.status === 'failed')
      if (failed) {
        const at = failed.error?.line ? ` at line ${failed.error.line}` : ''
        throw new Error(`Rehearsal failed: ${failed.name}${at}: ${failed.error?.message ?? 'failed'}`)
      }
      return r
    },
  }
}

async function lockRehearsal(target: TargetConfig): Promise<HeldLock<pg.Client>> {
  const client = await openSession(migrationConnection(target), 'dbsafe-rehearsal')
  return holdAdvisoryLock(client, [REHEARSAL_LOCK_KEY], () => new RehearsalBusyError(`A rehearsal is already running on ${target.label}`),
    () => client.end().catch(() => {}))
}
