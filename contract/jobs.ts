// Console jobs (backups, restore tests, migration runs, restores, rehearsals) as the SPA follows them.

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted'
/** A job in one of these states has ended: it will not change again. */
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'interrupted']
export const isFinalJob = (status: string): boolean => (FINAL_JOB_STATUSES as readonly string[]).includes(status)
/** `queuePosition`: while queued, the job's 1-based place in its console's queue (gone once it runs). */
export interface JobProgress { done?: number, total?: number, bytes?: number, message?: string, queuePosition?: number }
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
