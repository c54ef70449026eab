import pg from 'pg'
import { recordAudit } from '../audit/record'
import type { TargetConfig } from '../config/schema'
import { runJob } from '../jobs/run'
import { createJob } from '../jobs/store'
import { backupConnection } from './connection'
import { BackupBusyError, lockBackups } from './lock'
import { takeBackup } from './take'
import { verifyBackup } from './verify'

export const TAKE_JOB = 'backups.take'
export const VERIFY_JOB = 'backups.verify'

/**
 * Starts a backup job after checking, for a prompt 409, that none is running: neither as a job row
 * (any instance, before its dump takes the lock) nor as the target's advisory lock. The dump itself
 * takes the lock again, so a race between two starts still ends with one backup.
 */
export async function startBackup(consoleDb: pg.Pool, target: TargetConfig, actor: string, label?: string): Promise<number> {
  const running = await consoleDb.query(
    `SELECT 1 FROM jobs WHERE kind = $1 AND target = $2 AND status IN ('queued', 'running')`, [TAKE_JOB, target.id])
  if (running.rowCount) throw new BackupBusyError(target.id)
  await probeLock(target)
  const { job } = await createJob(consoleDb, { kind: TAKE_JOB, target: target.id, createdBy: actor, params: label ? { label } : {} })
  void runJob(consoleDb, job.id, (ctx) => takeBackup(target, {
    format: target.backupFormat, compress: target.backupCompress, databaseUrl: target.backupDatabaseUrl, label,
  }, ctx, actor)).then((m) => finished(consoleDb, actor, 'backups.take.finished', target, job.id, m ? 'ok' : 'failed'))
  return job.id
}

export async function startVerify(consoleDb: pg.Pool, target: TargetConfig, actor: string, id: string): Promise<number> {
  const { job } = await createJob(consoleDb, { kind: VERIFY_JOB, target: target.id, createdBy: actor, params: { backup: id } })
  void runJob(consoleDb, job.id, (ctx) => verifyBackup(consoleDb, target, id, {
    restoreTestUrl: target.restoreTestUrl, databaseUrl: target.backupDatabaseUrl, who: actor,
  }, ctx).then((v) => {
    if (!v.ok) throw new Error(`Restore test failed: ${v.problem}`)
    return v
  })).then((v) => finished(consoleDb, actor, 'backups.verify.finished', target, job.id, v ? 'ok' : 'failed'))
  return job.id
}

// Takes and at once releases (by ending the session) the lock a running dump holds.
async function probeLock(target: TargetConfig) {
  const client = new pg.Client({ ...backupConnection(target, target.backupDatabaseUrl), connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    await lockBackups(client, target.id)
  } finally {
    await client.end()
  }
}

const finished = (db: pg.Pool, actor: string, action: string, target: TargetConfig, jobId: number, outcome: string) =>
  recordAudit(db, { actor, action, target: target.id, params: { jobId }, outcome }).catch(() => {})
