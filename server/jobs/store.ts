import type pg from 'pg'
import type { Job, JobLogLine, JobStatus, JobWithLog } from '~contract/jobs'
import { markInterruptedJobs } from './run'
import { JOB_LOCK_NAMESPACE } from './sessions'

const COLUMNS = `id, kind, target, status, params, progress, result, error, created_by AS "createdBy",
  created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`

export interface NewJob { kind: string, target: string, params?: Record<string, unknown>, createdBy: string | null, idempotencyKey?: string }

/**
 * Inserts a queued job; with an idempotency key already used for this kind and target, returns that job instead.
 * Given `claim` (the queue's session), the new job's lock is taken in the same statement, so no instance ever sees
 * it unclaimed.
 */
export async function createJob(db: pg.Pool, job: NewJob, claim?: pg.ClientBase): Promise<{ job: Job, created: boolean }> {
  const { rows } = await (claim ?? db).query<Job>(
    `WITH j AS (INSERT INTO jobs (kind, target, params, created_by, idempotency_key) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (kind, target, idempotency_key) DO NOTHING RETURNING ${COLUMNS})
     SELECT j.* FROM j WHERE $6::int IS NULL OR pg_advisory_lock_shared($6, j.id) IS NOT NULL`,
    [job.kind, job.target, job.params ?? {}, job.createdBy, job.idempotencyKey ?? null, claim ? JOB_LOCK_NAMESPACE : null])
  if (rows[0]) return { job: rows[0], created: true }
  return { job: (await findJobByKey(db, job.kind, job.target, job.idempotencyKey!))!, created: false }
}

export async function getJob(db: pg.Pool, id: number, afterSeq = 0): Promise<JobWithLog | null> {
  const [job] = await judged(db, () => db.query<Job>(`SELECT ${COLUMNS} FROM jobs WHERE id = $1`, [id]))
  if (!job) return null
  return { ...job, log: await jobLog(db, id, afterSeq) }
}

/** Jobs as `read` finds them, with any queued or running one whose console died read as interrupted. */
async function judged(db: pg.Pool, read: () => Promise<{ rows: Job[] }>): Promise<Job[]> {
  const { rows } = await read()
  const live = rows.filter((j) => j.status === 'queued' || j.status === 'running').map((j) => j.id)
  if (!live.length || !(await markInterruptedJobs(db, live)).length) return rows
  return (await read()).rows
}

export async function jobLog(db: pg.Pool, id: number, afterSeq = 0): Promise<JobLogLine[]> {
  const { rows } = await db.query<JobLogLine>('SELECT seq, at, line FROM job_logs WHERE job_id = $1 AND seq > $2 ORDER BY seq', [id, afterSeq])
  return rows
}

export interface JobFilter { target?: string, kinds?: readonly string[], statuses?: readonly JobStatus[], limit?: number }

/** Newest first; a job whose console died reads as interrupted, so asking for queued or running ones never lists it. */
export async function listJobs(db: pg.Pool, filter: JobFilter): Promise<Job[]> {
  return judged(db, () => db.query<Job>(
    `SELECT ${COLUMNS} FROM jobs WHERE ($1::text IS NULL OR target = $1) AND ($2::text[] IS NULL OR kind = ANY($2))
       AND ($4::text[] IS NULL OR status = ANY($4))
     ORDER BY created_at DESC, id DESC LIMIT $3`, [filter.target ?? null, filter.kinds ?? null, filter.limit ?? 50, filter.statuses ?? null]))
}

export async function findJobByKey(db: pg.Pool, kind: string, target: string, key: string): Promise<Job | null> {
  const { rows } = await db.query<Job>(`SELECT ${COLUMNS} FROM jobs WHERE kind = $1 AND target = $2 AND idempotency_key = $3`, [kind, target, key])
  return rows[0] ?? null
}

export interface FailedJob { id: number, kind: string, status: string, error: string | null }

/**
 * Jobs of a target that failed or were interrupted since `since`, newest first. A restore test that failed on a file
 * already known corrupt is left out: its result marks it (`alreadyCorrupt`), a finding about the file, not the console.
 */
export async function listFailedJobs(db: pg.Pool, target: string, since: Date): Promise<FailedJob[]> {
  const { rows } = await db.query<FailedJob>(
    `SELECT id, kind, status, error FROM jobs WHERE target = $1 AND status IN ('failed', 'interrupted')
     AND coalesce(finished_at, created_at) >= $2 AND NOT (status = 'failed' AND coalesce(result ? 'alreadyCorrupt', false)) ORDER BY id DESC`, [target, since])
  return rows
}
