import type pg from 'pg'
import type { JobProgress } from '~contract/jobs'
import { JOB_LOCK_NAMESPACE, jobSessions, releaseClaim } from './sessions'

const FLUSH_MS = 200

export interface JobContext {
  log: (line: string) => void
  progress: (p: JobProgress) => void
  /** The job being run (set by runJob), e.g. to name the sessions it opens. */
  jobId?: number
}

/**
 * Runs `work` as job `id` on a session of its own (jobSessions, not the request pool) holding the job lock
 * (taking over the queue's claim): marks it running, streams its log lines and progress into the console
 * database (batched, at most every 200 ms), and records success with the result or failure with the error
 * (and the partial result the error carries, if any).
 */
export async function runJob<T>(db: pg.Pool, id: number, work: (ctx: JobContext) => Promise<T>): Promise<T | undefined> {
  const client = await jobSessions(db).connect()
  // A lost session fails the next query; the job is then judged interrupted by its missing lock.
  const ignore = () => {}
  client.on('error', ignore)
  let pendingLines: string[] = []
  let pendingProgress: JobProgress | null = null
  let flushing = Promise.resolve()
  const flush = () => {
    const lines = pendingLines
    const progress = pendingProgress
    pendingLines = []
    pendingProgress = null
    flushing = flushing.then(async () => {
      if (lines.length) await client.query('INSERT INTO job_logs (job_id, line) SELECT $1, unnest($2::text[])', [id, lines])
      if (progress) await client.query('UPDATE jobs SET progress = progress || $2 WHERE id = $1', [id, progress])
    })
    return flushing
  }
  const timer = setInterval(() => { void flush().catch(() => {}) }, FLUSH_MS)
  try {
    await client.query('SELECT pg_advisory_lock_shared($1, $2)', [JOB_LOCK_NAMESPACE, id])
    await releaseClaim(db, id)
    await client.query(`UPDATE jobs SET status = 'running', started_at = now(), progress = progress - 'queuePosition' WHERE id = $1`, [id])
    try {
      const result = await work({
        jobId: id,
        log: (line) => { pendingLines.push(line) },
        progress: (p) => { pendingProgress = { ...pendingProgress, ...p } },
      })
      clearInterval(timer)
      await flush()
      await client.query(`UPDATE jobs SET status = 'succeeded', result = $2, finished_at = now() WHERE id = $1`, [id, JSON.stringify(result ?? null)])
      return result
    } catch (err) {
      clearInterval(timer)
      pendingLines.push(`error: ${(err as Error).message}`)
      await flush().catch(() => {})
      await client.query(`UPDATE jobs SET status = 'failed', error = $2, result = $3, finished_at = now() WHERE id = $1`,
        [id, (err as Error).message, JSON.stringify(partialResult(err))])
      return undefined
    }
  } finally {
    clearInterval(timer)
    await client.query('SELECT pg_advisory_unlock_shared($1, $2)', [JOB_LOCK_NAMESPACE, id]).catch(() => {})
    client.off('error', ignore)
    client.release()
  }
}

/** A failure that can say how far the work got (e.g. EmergencyRestoreError) carries it as `result`: the failed job keeps it. */
function partialResult(err: unknown): unknown {
  return err instanceof Error && 'result' in err ? err.result ?? null : null
}

// A migration's statement can outlive its console on the target, holding its locks: the job says so.
const MIGRATION_RUN_NOTE = '; its last statement may still be running on the target: PostgreSQL 14+ cancels it within seconds '
  + '(client_connection_check_interval), and a console start-up ends any left (see this log)'

/**
 * A job marked queued or running whose lock nobody holds was left by a dead instance: marked interrupted, at
 * start-up and whenever a job is read (so no instance waits for a restart to see it). A queued job less than a
 * minute old may not hold its lock yet (jobs created outside startJob's queue). `ids` limits it to those jobs.
 */
export async function markInterruptedJobs(db: pg.Pool, ids?: number[]): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE jobs SET status = 'interrupted', finished_at = now(),
       error = 'The console stopped while this job was running' || CASE WHEN kind = 'migrations.run' THEN $3 ELSE '' END
     WHERE ($2::int[] IS NULL OR id = ANY($2))
       AND (status = 'running' OR (status = 'queued' AND created_at < now() - interval '1 minute')) AND NOT EXISTS (
       SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = jobs.id AND objsubid = 2
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
     RETURNING id`, [JOB_LOCK_NAMESPACE, ids ?? null, MIGRATION_RUN_NOTE])
  return rows.map((r) => r.id)
}
