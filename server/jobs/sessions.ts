import type pg from 'pg'
import { poolFor } from '../database/pools'

// Each job holds this advisory lock (namespace, job id) in the console database while it is queued or running,
// shared (so the queue's claim and the runner's can overlap): if its console dies, PostgreSQL drops the lock with
// the session, and any instance reading the job can tell it was interrupted (markInterruptedJobs).
export const JOB_LOCK_NAMESPACE = 730_514

/** Jobs running at once on one console instance, over all targets; the rest wait in its queue. */
export const MAX_JOBS = 4
/** Jobs running at once on one console instance for one target. */
export const MAX_JOBS_PER_TARGET = 2

/**
 * Console-database sessions for jobs, apart from the request pool (so running jobs never starve requests):
 * one per running job, plus the queue's session that claims the queued ones.
 */
export function jobSessions(requests: pg.Pool): pg.Pool {
  return poolFor(requests.options, { max: MAX_JOBS + 1, applicationName: 'dbsafe-job' })
}

// The queue's session per request pool: taken while a job is being claimed or any claimed job waits, given back after.
interface QueueSession { client: Promise<pg.PoolClient>, claiming: number, claimed: Set<number>, lost: (err: Error) => void }
const queueSessions = new WeakMap<pg.Pool, QueueSession>()

/**
 * Runs `claim` on this instance's queue session, the session that holds the job lock of every job queued here
 * (so other instances see them alive); `claimedId` says which job it claimed, if any. The session is kept only
 * while some job is claimed, and is dropped (with its claims) if its connection fails.
 */
export async function withQueueSession<T>(requests: pg.Pool, claim: (session: pg.ClientBase) => Promise<T>,
  claimedId: (result: T) => number | null): Promise<T> {
  let queue = queueSessions.get(requests)
  if (!queue) {
    const client = jobSessions(requests).connect()
    const q: QueueSession = queue = {
      client, claiming: 0, claimed: new Set(),
      lost: (err) => {
        if (queueSessions.get(requests) === q) queueSessions.delete(requests)
        void client.then((c) => c.release(err))
      },
    }
    queueSessions.set(requests, q)
    client.then((c) => c.once('error', q.lost), () => { if (queueSessions.get(requests) === q) queueSessions.delete(requests) })
  }
  queue.claiming++
  try {
    const result = await claim(await queue.client)
    const id = claimedId(result)
    if (id !== null) queue.claimed.add(id)
    return result
  } finally {
    queue.claiming--
    await giveBack(requests, queue)
  }
}

/** Lets go of the queue's claim on job `id` (once its runner holds the job lock, or it will not run); no-op if none. */
export async function releaseClaim(requests: pg.Pool, id: number): Promise<void> {
  const queue = queueSessions.get(requests)
  if (!queue?.claimed.delete(id)) return
  await (await queue.client).query('SELECT pg_advisory_unlock_shared($1, $2)', [JOB_LOCK_NAMESPACE, id]).catch(() => {})
  await giveBack(requests, queue)
}

async function giveBack(requests: pg.Pool, queue: QueueSession): Promise<void> {
  if (queue.claiming || queue.claimed.size || queueSessions.get(requests) !== queue) return
  queueSessions.delete(requests)
  const client = await queue.client.catch(() => null)
  client?.off('error', queue.lost)
  client?.release()
}
