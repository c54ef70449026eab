import type pg from 'pg'
import { isFinalJob, type Job, type JobLogLine } from '~contract/jobs'
import { getJob } from './store'

const POLL_MS = 300

export type JobEvent = { type: 'job', job: Job } | { type: 'log', lines: JobLogLine[] }

/**
 * Follows a job through the console database (so any instance can stream any job): emits the job
 * whenever it changes and new log lines as they land, and ends once the job has finished.
 */
export async function watchJob(db: pg.Pool, id: number, emit: (e: JobEvent) => Promise<void>, signal: AbortSignal): Promise<void> {
  let lastSeq = 0
  let lastJson = ''
  while (!signal.aborted) {
    const current = await getJob(db, id, lastSeq)
    if (!current) return
    const { log, ...job } = current
    if (log.length) {
      lastSeq = log.at(-1)!.seq
      await emit({ type: 'log', lines: log })
    }
    const json = JSON.stringify(job)
    if (json !== lastJson) {
      lastJson = json
      await emit({ type: 'job', job })
    }
    if (isFinalJob(job.status)) return
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
}
