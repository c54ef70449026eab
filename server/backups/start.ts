import type pg from 'pg'
import type { TargetConfig } from '../config/schema'
import { startJob } from '../jobs/lifecycle'
import { lockBackupSession } from './lock'
import { restoreServer } from './scratch'
import { takeBackup } from './take'
import { verifyBackup } from './verify'

export const TAKE_JOB = 'backups.take'
export const VERIFY_JOB = 'backups.verify'

/** Starts a backup job holding the target's backup lock from the start, so a second one gets BackupBusyError (409) at once. */
export async function startBackup(consoleDb: pg.Pool, target: TargetConfig, actor: string, label?: string): Promise<number> {
  const { jobId } = await startJob(consoleDb, {
    kind: TAKE_JOB, target: target.id, actor,
    lock: () => lockBackupSession(target, target.backupDatabaseUrl),
    plan: (session) => ({
      params: label ? { label } : {},
      run: (ctx) => takeBackup(target, {
        format: target.backupFormat, compress: target.backupCompress, databaseUrl: target.backupDatabaseUrl, label, session,
      }, ctx, actor),
    }),
  })
  return jobId
}

/**
 * Starts a restore test, once the role it would restore as has passed the restore-role check: a role that could
 * escalate is refused at once (RestoreRoleRefusedError, 409 with the SQL for a safe one), not found by a failed job.
 */
export async function startVerify(consoleDb: pg.Pool, target: TargetConfig, actor: string, id: string): Promise<number> {
  const opts = { restoreTestUrl: target.restoreTestUrl, databaseUrl: target.backupDatabaseUrl }
  const { jobId } = await startJob(consoleDb, {
    kind: VERIFY_JOB, target: target.id, actor,
    plan: async () => {
      await restoreServer(target, opts)
      return {
        params: { backup: id },
        run: async (ctx) => {
          const v = await verifyBackup(consoleDb, target, id, { ...opts, who: actor }, ctx)
          if (!v.ok) throw new Error(`Restore test failed: ${v.problem}`)
          return v
        },
      }
    },
  })
  return jobId
}
