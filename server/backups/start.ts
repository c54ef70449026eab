import type pg from 'pg'
import type { BackupVerification } from '~contract/backups'
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
          if (!v.ok) throw new RestoreTestFailedError(v)
          return v
        },
      }
    },
  })
  return jobId
}

/**
 * The job fails with the verification as its result. A file that had already read back corrupt failed again: that is
 * a finding about the file (the inventory shows it there), and no-failed-jobs does not count it as a failed console job.
 */
class RestoreTestFailedError extends Error {
  constructor(readonly result: BackupVerification) {
    super(result.alreadyCorrupt
      ? `Restore test failed: ${result.problem}. The file had already read back corrupt (${result.alreadyCorrupt}): a finding about the file, not a failed console job`
      : `Restore test failed: ${result.problem}`)
  }
}
