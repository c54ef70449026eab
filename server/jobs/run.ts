import type pg from 'pg'
import type { JobProgress } from '~contract/jobs'

// Each running job holds this advisory lock (namespace, job id) on its own console-database session.
// If the process dies, PostgreSQL drops the lock with the session; that is how a restart tells
// a job that is still running elsewhere from one that was interrupted.
export const JOB_LOCK_NAMESPACE = 730_514
const FLUSH_MS = 200

export interface JobContext {
  log: (line: string) => void
  progress: (p: JobProgress) => void
}

/**
 * Runs `work` as job `id`: marks it running, streams its log lines and progress into the console
 * database (batched, at most every 200 ms), and records success with the result or failure with the error
 * (and the partial result the error carries, if any).
 */
export async function runJob<T>(db: pg.Pool, id: number, work: (ctx: JobContext) => Promise<T>): Promise<T | undefined> {
  const client = await db.connect()
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
    await client.query('SELECT pg_advisory_lock($1, $2)', [JOB_LOCK_NAMESPACE, id])
    await client.query(`UPDATE jobs SET status = 'running', started_at = now() WHERE id = $1`, [id])
    try {
      const result = await work({
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
    await client.query('SELECT pg_advisory_unlock($1, $2)', [JOB_LOCK_NAMESPACE, id]).catch(() => {})
    client.release()
  }
}

/** A failure that can say how far the work got (e.g. EmergencyRestoreError) carries it as `result`: the failed job keeps it. */
function partialResult(err: unknown): unknown {
  return err instanceof Error && 'result' in err ? err.result ?? null : null
}

/** At start-up: a job marked running whose lock nobody holds was left by a dead instance. */
export async function markInterruptedJobs(db: pg.Pool): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE jobs SET status = 'interrupted', finished_at = now(), error = 'The console stopped while this job was running'
     WHERE (status = 'running' OR (status = 'queued' AND created_at < now() - interval '1 minute')) AND NOT EXISTS (
       SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = jobs.id AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
     RETURNING id`, [JOB_LOCK_NAMESPACE])
  return rows.map((r) => r.id)
}
