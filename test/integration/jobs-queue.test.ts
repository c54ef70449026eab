import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closePools, poolFor } from '~server/database/pools'
import { startJob } from '~server/jobs/lifecycle'
import { MAX_JOBS, MAX_JOBS_PER_TARGET } from '~server/jobs/sessions'
import { getJob } from '~server/jobs/store'
import { createConsoleDatabase } from '../support/db'
import { jobsFrom, waitForJob } from '../support/jobs'

describe('jobs beyond the bounds wait in a queue, apart from the request pool', () => {
  let consoleDb: Awaited<ReturnType<typeof createConsoleDatabase>>
  // The console's own request pool for its database: 4 connections, as the console opens it.
  let requests: pg.Pool
  beforeAll(async () => {
    consoleDb = await createConsoleDatabase('jobs_queue')
    requests = poolFor({ connectionString: consoleDb.url })
  })
  afterAll(async () => {
    await closePools()
    await consoleDb?.drop()
  })

  const gates = new Map<number, () => void>()
  const slowJob = async (target: string, n: number) => {
    let open!: () => void
    const gate = new Promise<void>((r) => { open = r })
    const { jobId } = await startJob(requests, {
      kind: 'test.slow', target, actor: 'alice',
      plan: () => ({ run: async (ctx) => {
        ctx.progress({ message: `job ${target}${n} working` })
        await gate
        return { n }
      } }),
    })
    gates.set(jobId, open)
    return jobId
  }
  const job = async (id: number) => (await getJob(requests, id))!
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !await check(); i++) await new Promise((r) => setTimeout(r, 25))
    expect(await check()).toBe(true)
  }

  it('runs at most the bound per target and in all, queues the rest with their place, and keeps answering requests', async () => {
    expect([MAX_JOBS, MAX_JOBS_PER_TARGET]).toEqual([4, 2])
    // Three jobs on a, three on b, one on c: a1 a2 b1 b2 fill the four slots; a3, b3 and c1 wait, in that order.
    const ids: Record<string, number> = {}
    for (const [t, n] of [['a', 1], ['a', 2], ['a', 3], ['b', 1], ['b', 2], ['b', 3], ['c', 1]] as const) ids[`${t}${n}`] = await slowJob(t, n)
    await until(async () => (await job(ids.b2)).status === 'running')
    for (const k of ['a1', 'a2', 'b1', 'b2']) expect((await job(ids[k])).status).toBe('running')
    await until(async () => (await job(ids.c1)).progress.queuePosition === 3)
    expect((await job(ids.a3))).toMatchObject({ status: 'queued', progress: { queuePosition: 1 } })
    expect((await job(ids.b3))).toMatchObject({ status: 'queued', progress: { queuePosition: 2 } })

    // Seven jobs started, four running: a request still gets a connection at once.
    const started = Date.now()
    await requests.query('SELECT 1')
    expect(Date.now() - started).toBeLessThan(500)
    const sessions = await requests.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'dbsafe-job'`)
    expect(sessions.rows[0].n).toBeLessThanOrEqual(MAX_JOBS + 1)

    // a1 ends: a3 takes its slot, b3 and c1 move up.
    gates.get(ids.a1)!()
    await until(async () => (await job(ids.a3)).status === 'running')
    expect((await job(ids.a3)).progress.queuePosition).toBeUndefined()
    await until(async () => (await job(ids.c1)).progress.queuePosition === 2)
    expect((await job(ids.b3)).progress.queuePosition).toBe(1)

    for (const id of Object.values(ids)) gates.get(id)!()
    for (const id of Object.values(ids)) expect((await waitForJob(jobsFrom((i) => getJob(requests, i)), id)).status).toBe('succeeded')
  })
})
