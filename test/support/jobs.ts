// Waiting for a console job to finish, with a deadline: a job that never finishes fails the test
// with its id and where it stood, instead of hanging until the test timeout.
import { isFinalJob } from '~contract/jobs'
import { json } from './http'

/** A job context for calling a job's work directly, with its log and progress dropped. */
export const quiet = { log: () => {}, progress: () => {} }

export interface PolledJob { status: string, progress?: unknown }

/** Reads one job by id; `null` (or `undefined`) while it cannot be read, with `seen` saying why. */
export type ReadJob<J> = (id: number) => Promise<{ job: J | null | undefined, seen?: string }>

/** Reads a job over `GET /api/jobs/:id` with the given request function (one that adds the session). */
export function jobsOverHttp(get: (path: string) => Promise<Response>): ReadJob<any> {
  return async (id) => {
    const res = await get(`/api/jobs/${id}`)
    if (!res.ok) return { job: null, seen: `HTTP ${res.status}: ${await res.text()}` }
    return { job: await json(res) }
  }
}

/** Reads a job with a direct lookup (e.g. the jobs store's getJob). */
export function jobsFrom<J>(lookup: (id: number) => Promise<J | null | undefined>): ReadJob<J> {
  return async (id) => ({ job: await lookup(id), seen: 'no such job' })
}

/** Polls until the job reaches a final state and returns it; throws once `timeoutMs` has passed. */
export async function waitForJob<J extends PolledJob>(read: ReadJob<J>, id: number, opts: { timeoutMs?: number, intervalMs?: number } = {}): Promise<J> {
  const { timeoutMs = 20_000, intervalMs = 100 } = opts
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { job, seen } = await read(id)
    if (job && isFinalJob(job.status)) return job
    const last = job ? `status ${job.status}, progress ${JSON.stringify(job.progress ?? null)}` : (seen ?? 'not found')
    if (Date.now() >= deadline) throw new Error(`job ${id} did not finish within ${timeoutMs} ms; last seen: ${last}`)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}
