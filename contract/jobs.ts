// Console jobs (backups, restore tests, migration runs, restores, rehearsals) as the SPA follows them.

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'interrupted'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]
/** A job in one of these states has ended: it will not change again. */
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'interrupted']
export const isFinalJob = (status: string): boolean => (FINAL_JOB_STATUSES as readonly string[]).includes(status)
/** A job in one of these states is still going: what a page lists as running. */
export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = ['queued', 'running']
/**
 * `queuePosition`: while queued, the job's 1-based place in its console's queue (gone once it runs).
 * `file`: the backup file the job is writing (its `.partial` name), so the inventory can name its job.
 */
export interface JobProgress { done?: number, total?: number, bytes?: number, message?: string, queuePosition?: number, file?: string }
export interface Job {
  id: number
  kind: string
  target: string
  status: JobStatus
  params: Record<string, unknown>
  progress: JobProgress
  result: unknown
  error: string | null
  createdBy: string | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}
export interface JobLogLine { seq: number, at: string, line: string }
export interface JobWithLog extends Job { log: JobLogLine[] }
