import type pg from 'pg'
import { ACTIVE_JOB_STATUSES } from '~contract/jobs'
import { recordAudit } from '../audit/record'
import { BusyError } from '../errors'
import { invalidateTarget } from '../targets/shared-read'
import { takeSlot } from './queue'
import { runJob, type JobContext } from './run'
import { releaseClaim, withQueueSession } from './sessions'
import { createJob, findJobByKey, listJobs } from './store'

/** A lock on the target held for one job; `release` lets it go (so does the session ending). */
export interface HeldLock<S> { session: S, release: () => Promise<void> }

/** What a job does once started: the parameters stored on its row, and its runner. */
export interface JobPlan<T> {
  params?: Record<string, unknown>
  /** Resolves with the result stored on the job, or rejects with the reason it failed. */
  run: (ctx: JobContext) => Promise<T>
}

export interface JobSpec<T, S, R> {
  kind: string
  target: string
  actor: string
  /** A retried request with a key already used for this kind and target gets that job back, and nothing runs again. */
  idempotencyKey?: string
  /** One such job per target at a time, from any console instance: taken before the job row exists, held until the runner ends. */
  lock?: () => Promise<HeldLock<S>>
  /** The kinds of job that take the same lock (default: this kind): its BusyError names the running one of them. */
  lockKinds?: readonly string[]
  /** Under the lock: what to run, or a refusal that ends the start with no job. */
  plan: (session: S) => JobPlan<T> | { refusal: R } | Promise<JobPlan<T> | { refusal: R }>
}

export interface StartedJob { jobId: number, created: boolean }
export type StartJobResult<R> = [R] extends [never] ? StartedJob : StartedJob | { refusal: R }

/**
 * Every console job starts here: an idempotent retry returns the first job; the target's lock is taken
 * (or its busy error thrown); the plan may refuse; then the job row is created, claimed by this instance's queue
 * session, and waits for a slot (takeSlot: its place shows as `progress.queuePosition`); its runner then runs in the
 * background through runJob, which streams progress and, with its job lock, lets any instance see a job whose
 * console died as interrupted (markInterruptedJobs). The target's lock is released as soon as the runner ends,
 * before the job is marked final (and the target's shared reads with it), and `<kind>.finished` is audited with ok or failed.
 */
export async function startJob<T extends object, S = undefined, R = never>(consoleDb: pg.Pool, spec: JobSpec<T, S, R>): Promise<StartJobResult<R>> {
  const started = (jobId: number, created: boolean) => ({ jobId, created }) as StartJobResult<R>
  if (spec.idempotencyKey) {
    const existing = await findJobByKey(consoleDb, spec.kind, spec.target, spec.idempotencyKey)
    if (existing) return started(existing.id, false)
  }
  const held = spec.lock ? await spec.lock().catch((err) => namingRunningJob(consoleDb, spec, err)) : { session: undefined as S, release: async () => {} }
  const release = once(held.release)
  try {
    const plan = await spec.plan(held.session)
    if ('refusal' in plan) {
      await release()
      return plan as StartJobResult<R>
    }
    const { job, created } = await withQueueSession(consoleDb, (session) => createJob(consoleDb, {
      kind: spec.kind, target: spec.target, createdBy: spec.actor, params: plan.params, idempotencyKey: spec.idempotencyKey,
    }, session), (r) => r.created ? r.job.id : null)
    if (!created) {
      await release()
      return started(job.id, false)
    }
    const run = async (ctx: JobContext) => {
      try {
        return await plan.run(ctx)
      } finally {
        // Before the job reads as finished: a page reloaded on "succeeded" shows what the job did.
        invalidateTarget(spec.target)
        await release()
      }
    }
    const queued = (queuePosition: number) => consoleDb.query('UPDATE jobs SET progress = progress || $2 WHERE id = $1 AND status = \'queued\'',
      [job.id, { queuePosition }]).catch(() => {})
    void takeSlot(spec.target, queued)
      .then(async (free) => {
        try {
          return await runJob(consoleDb, job.id, run)
        } finally {
          free()
          await releaseClaim(consoleDb, job.id)
        }
      })
      .then((result) => recordAudit(consoleDb, {
        actor: spec.actor, action: `${spec.kind}.finished`, target: spec.target, params: { jobId: job.id }, outcome: result === undefined ? 'failed' : 'ok',
      }))
      .catch(() => {})
      .finally(release)
    return started(job.id, true)
  } catch (err) {
    await release()
    throw err
  }
}

/**
 * Rethrows a lock's error; a BusyError first learns the queued or running job that holds the lock (none when that
 * job's row is not written yet, or another instance holds the lock outside a job), so the refusal can link to it.
 */
async function namingRunningJob(consoleDb: pg.Pool, spec: Pick<JobSpec<unknown, unknown, unknown>, 'kind' | 'target' | 'lockKinds'>, err: unknown): Promise<never> {
  if (err instanceof BusyError) {
    const [running] = await listJobs(consoleDb, { target: spec.target, kinds: spec.lockKinds ?? [spec.kind], statuses: ACTIVE_JOB_STATUSES, limit: 1 })
      .catch(() => [])
    if (running) err.jobId = running.id
  }
  throw err
}

/** An advisory lock key as PostgreSQL takes it: one bigint, or two ints. */
export type AdvisoryKey = readonly [number] | readonly [number, number]

/**
 * Takes advisory lock `key` on `session` without waiting, or closes the session and throws `busy()`.
 * Advisory locks live in the target database, so every console instance that reaches the target sees them.
 * Release unlocks and then closes the session, passing `close` the error when the unlock failed.
 */
export async function holdAdvisoryLock<S extends pg.ClientBase>(session: S, key: AdvisoryKey, busy: () => Error,
  close: (err?: Error) => unknown): Promise<HeldLock<S>> {
  const args = key.map((_, i) => `$${i + 1}`).join(', ')
  let locked: boolean
  try {
    locked = (await session.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${args}) AS ok`, [...key])).rows[0].ok
  } catch (err) {
    await close(err as Error)
    throw err
  }
  if (!locked) {
    await close()
    throw busy()
  }
  return {
    session,
    release: async () => {
      const failed = await session.query(`SELECT pg_advisory_unlock(${args})`, [...key]).then(() => undefined, (err: Error) => err)
      await close(failed)
    },
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined
  return () => (done ??= fn().catch(() => {}))
}
