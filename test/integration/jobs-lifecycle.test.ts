import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isFinalJob } from '~contract/jobs'
import { holdAdvisoryLock, startJob, type AdvisoryKey } from '~server/jobs/lifecycle'
import { getJob } from '~server/jobs/store'
import { createConsoleDatabase, createTestDatabase } from '../support/db'

class BusyError extends Error {}

describe('startJob: one lifecycle for every console job', () => {
  let consoleDb: Awaited<ReturnType<typeof createConsoleDatabase>>
  let targetDb: Awaited<ReturnType<typeof createTestDatabase>>
  const KEY: AdvisoryKey = [730_599, 7]
  const lock = async () => {
    const client = new pg.Client(targetDb.url)
    await client.connect()
    return holdAdvisoryLock(client, KEY, () => new BusyError('busy'), () => client.end())
  }
  const held = async () => (await targetDb.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2`, [...KEY])).rows[0].n > 0
  async function finished(jobId: number) {
    for (let i = 0; i < 200; i++) {
      const job = await getJob(consoleDb.pool, jobId)
      if (job && isFinalJob(job.status)) return job
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error(`job ${jobId} did not finish`)
  }
  const audits = async (jobId: number) => (await consoleDb.pool.query<{ action: string, actor: string, target: string, outcome: string }>(
    `SELECT action, actor, target, outcome FROM audit_log WHERE params->>'jobId' = $1`, [String(jobId)])).rows

  beforeAll(async () => {
    consoleDb = await createConsoleDatabase('lifecycle_console')
    targetDb = await createTestDatabase('lifecycle_target')
  })
  afterAll(async () => {
    await targetDb?.drop()
    await consoleDb?.drop()
  })

  it('runs one job of a kind per target: a second start is busy, and the lock is free once the job is final', async () => {
    let finish!: () => void
    const gate = new Promise<void>((r) => { finish = r })
    const first = await startJob(consoleDb.pool, {
      kind: 'test.exclusive', target: 'main', actor: 'alice', lock,
      plan: (session) => ({ params: { n: 1 }, run: async (ctx) => {
        ctx.progress({ done: 0, total: 1 })
        await gate
        return { on: (await session.query('SELECT 1 AS one')).rows[0].one }
      } }),
    })
    expect(first).toEqual({ jobId: expect.any(Number), created: true })
    expect(await held()).toBe(true)
    await expect(startJob(consoleDb.pool, { kind: 'test.exclusive', target: 'main', actor: 'bob', lock, plan: () => ({ run: async () => ({}) }) }))
      .rejects.toBeInstanceOf(BusyError)
    finish()
    const job = await finished(first.jobId)
    expect(job).toMatchObject({ status: 'succeeded', params: { n: 1 }, result: { on: 1 }, createdBy: 'alice', progress: { done: 0, total: 1 } })
    expect(await held()).toBe(false)
    const again = await startJob(consoleDb.pool, { kind: 'test.exclusive', target: 'main', actor: 'bob', lock, plan: () => ({ run: async () => ({}) }) })
    expect((await finished(again.jobId)).status).toBe('succeeded')
  })

  it('is busy while another console instance holds the lock on the target database', async () => {
    const other = new pg.Client(targetDb.url)
    await other.connect()
    await other.query('SELECT pg_advisory_lock($1, $2)', [...KEY])
    try {
      await expect(startJob(consoleDb.pool, { kind: 'test.exclusive', target: 'main', actor: 'a', lock, plan: () => ({ run: async () => ({}) }) }))
        .rejects.toBeInstanceOf(BusyError)
    } finally {
      await other.end()
    }
  })

  it('audits the finished job as ok or failed, and records the failure on the job', async () => {
    const ok = await startJob(consoleDb.pool, { kind: 'test.audit', target: 'main', actor: 'carol', plan: () => ({ run: async () => ({ fine: true }) }) })
    const bad = await startJob(consoleDb.pool, {
      kind: 'test.audit', target: 'main', actor: 'carol', lock,
      plan: () => ({ run: async () => { throw new Error('disk full') } }),
    })
    expect((await finished(ok.jobId)).status).toBe('succeeded')
    expect(await finished(bad.jobId)).toMatchObject({ status: 'failed', error: 'disk full' })
    await expect.poll(() => audits(ok.jobId)).toEqual([{ action: 'test.audit.finished', actor: 'carol', target: 'main', outcome: 'ok' }])
    await expect.poll(() => audits(bad.jobId)).toEqual([{ action: 'test.audit.finished', actor: 'carol', target: 'main', outcome: 'failed' }])
    expect(await held()).toBe(false)
  })

  it('a refusal or a failing plan creates no job and releases the lock', async () => {
    const count = async () => (await consoleDb.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE kind = 'test.refused'`)).rows[0].n
    const refused = await startJob(consoleDb.pool, {
      kind: 'test.refused', target: 'main', actor: 'a', lock,
      plan: async () => ({ refusal: { code: 'nope' } }),
    })
    expect(refused).toEqual({ refusal: { code: 'nope' } })
    expect(await held()).toBe(false)
    await expect(startJob(consoleDb.pool, {
      kind: 'test.refused', target: 'main', actor: 'a', lock,
      plan: async () => { throw new Error('cannot read the files') },
    })).rejects.toThrow('cannot read the files')
    expect(await held()).toBe(false)
    expect(await count()).toBe(0)
  })

  it('returns the job of a repeated idempotency key without taking the lock or running again', async () => {
    let runs = 0
    const spec = {
      kind: 'test.idem', target: 'main', actor: 'a', idempotencyKey: 'click-1', lock,
      plan: () => ({ run: async () => ({ run: ++runs }) }),
    }
    const first = await startJob(consoleDb.pool, spec)
    await finished(first.jobId)
    const other = new pg.Client(targetDb.url)
    await other.connect()
    await other.query('SELECT pg_advisory_lock($1, $2)', [...KEY])
    try {
      expect(await startJob(consoleDb.pool, spec)).toEqual({ jobId: first.jobId, created: false })
    } finally {
      await other.end()
    }
    expect(runs).toBe(1)
  })
})
