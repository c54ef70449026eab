import { ACTIVE_JOB_STATUSES, type Job, type JobWithLog } from '~contract/jobs'
import { api, ApiRequestError } from './client'

export const getJob = (id: number) => api<JobWithLog>(`/jobs/${id}`)
export const listJobs = (target: string, kind?: string) => api<Job[]>(`/jobs?target=${encodeURIComponent(target)}${kind ? `&kind=${encodeURIComponent(kind)}` : ''}&limit=20`)
/** The target's jobs still queued or running, of these kinds (all kinds when none are given), newest first. */
export const listActiveJobs = (target: string, kinds: readonly string[] = []) =>
  api<Job[]>(`/jobs?target=${encodeURIComponent(target)}&status=${ACTIVE_JOB_STATUSES.join(',')}${kinds.length ? `&kind=${encodeURIComponent(kinds.join(','))}` : ''}`)
export const jobEventsUrl = (id: number) => `/api/jobs/${id}/events`

/** The job a busy refusal ("already running", 409) names as doing that work, or null for any other error. */
export function runningJobOf(err: unknown): number | null {
  const jobId = err instanceof ApiRequestError && err.status === 409 ? (err.data as { jobId?: unknown } | undefined)?.jobId : undefined
  return typeof jobId === 'number' ? jobId : null
}
