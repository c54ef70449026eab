// Issue 13, item 11: identical concurrent reads of one target share one computation for a few seconds;
// other targets, other reviewed roles and the caller's own permissions never share; a write starts afresh.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { targetPool } from '~server/database/target-pool'
import { readEnvFile } from '~server/envfile/read'
import { privilegeReview } from '~server/privileges/review'
import { FRESH_MS, invalidateTarget, sharedRead } from '~server/targets/shared-read'
import { createTargetFixture, startConsoleFixture, targetConfigFor, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'
import { jobsOverHttp, waitForJob } from '../support/jobs'

describe('sharedRead over a real privilege review', () => {
  let fx: Awaited<ReturnType<typeof createTargetFixture>>
  beforeAll(async () => { fx = await createTargetFixture('shared') })
  afterAll(async () => { await fx?.drop() })
  const reviewSpy = () => {
    const target = targetConfigFor(fx)
    return vi.fn((role: string) => privilegeReview(targetPool(target, readEnvFile(target.envFile)), role))
  }

  it('runs the computation once for 25 concurrent identical reads, and again after invalidateTarget', async () => {
    const review = reviewSpy()
    const answers = await Promise.all(Array.from({ length: 25 }, () => sharedRead('t1', 'privileges', [fx.appRole], () => review(fx.appRole))))
    expect(review).toHaveBeenCalledTimes(1)
    expect(new Set(answers.map((a) => a.value)).size).toBe(1)
    expect(answers[0].value?.role).toBe(fx.appRole)
    await sharedRead('t1', 'privileges', [fx.appRole], () => review(fx.appRole))
    expect(review).toHaveBeenCalledTimes(1)
    invalidateTarget('t1')
    const after = await sharedRead('t1', 'privileges', [fx.appRole], () => review(fx.appRole))
    expect(review).toHaveBeenCalledTimes(2)
    expect(after.computedAt >= answers[0].computedAt).toBe(true)
  })

  it('never shares between targets, reads or parameters, and an invalidation touches its own target only', async () => {
    const review = reviewSpy()
    const [a, b, c, d] = await Promise.all([
      sharedRead('t2', 'privileges', [fx.appRole], () => review(fx.appRole)),
      sharedRead('t3', 'privileges', [fx.appRole], () => review(fx.appRole)),
      sharedRead('t2', 'privileges', ['postgres'], () => review('postgres')),
      sharedRead('t2', 'overview', [fx.appRole], () => review(fx.appRole)),
    ])
    expect(review).toHaveBeenCalledTimes(4)
    expect([a, b, d].map((x) => x.value?.role)).toEqual([fx.appRole, fx.appRole, fx.appRole])
    expect(c.value?.role).toBe('postgres')
    invalidateTarget('t3')
    await sharedRead('t2', 'privileges', [fx.appRole], () => review(fx.appRole))
    await sharedRead('t3', 'privileges', [fx.appRole], () => review(fx.appRole))
    expect(review).toHaveBeenCalledTimes(5)
  })

  it('shares a failure with the requests that waited for it, but the next request computes again', async () => {
    const failing = vi.fn(async () => { throw new Error('unreachable') })
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => sharedRead('t4', 'overview', [], failing)))
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    expect(failing).toHaveBeenCalledTimes(1)
    await expect(sharedRead('t4', 'overview', [], failing)).rejects.toThrow('unreachable')
    expect(failing).toHaveBeenCalledTimes(2)
  })

  it('past half the window, serves the answer it has and computes the next one once in the background', async () => {
    const review = reviewSpy()
    const first = await sharedRead('t6', 'privileges', [fx.appRole], () => review(fx.appRole))
    await new Promise((r) => setTimeout(r, FRESH_MS / 2 + 100))
    const during = await Promise.all(Array.from({ length: 10 }, () => sharedRead('t6', 'privileges', [fx.appRole], () => review(fx.appRole))))
    expect(during.map((a) => a.computedAt)).toEqual(Array(10).fill(first.computedAt))
    expect(review).toHaveBeenCalledTimes(2)
    await review.mock.results[1].value
    await new Promise((r) => setImmediate(r))
    const next = await sharedRead('t6', 'privileges', [fx.appRole], () => review(fx.appRole))
    expect(Date.parse(next.computedAt) - Date.parse(first.computedAt)).toBeGreaterThanOrEqual(FRESH_MS / 2)
    expect(review).toHaveBeenCalledTimes(2)
  }, FRESH_MS + 10_000)

  it(`computes again once the answer is ${FRESH_MS} ms old`, async () => {
    const review = reviewSpy()
    const first = await sharedRead('t5', 'privileges', [fx.appRole], () => review(fx.appRole))
    await new Promise((r) => setTimeout(r, FRESH_MS + 100))
    const second = await sharedRead('t5', 'privileges', [fx.appRole], () => review(fx.appRole))
    expect(review).toHaveBeenCalledTimes(2)
    expect(Date.parse(second.computedAt) - Date.parse(first.computedAt)).toBeGreaterThanOrEqual(FRESH_MS)
  }, FRESH_MS + 10_000)
})

describe('shared reads on the built console', () => {
  let c: ConsoleFixture
  let admin: string
  let viewer: string
  beforeAll(async () => {
    c = await startConsoleFixture({ targets: ['main', 'other'] })
    admin = await c.login('admin', c.adminPassword)
    await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: 'vera', password: 'viewer-password', role: 'viewer' } })
    viewer = await c.login('vera', 'viewer-password')
  })
  afterAll(async () => { await c?.cleanup() })
  const get = (path: string, cookie = admin) => c.request(`/api/targets/${path}`, { cookie })

  it('answers concurrent viewers and admins of one target from one computation, stamped with when it was computed', async () => {
    for (const read of ['overview', 'privileges', 'migrations', 'backups']) {
      const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => get(`main/${read}`, i % 2 ? viewer : admin)))
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200))
      const stamps = new Set(responses.map((r) => r.headers.get('x-computed-at')))
      expect(stamps.size).toBe(1)
      const [stamp] = stamps
      expect(Date.now() - Date.parse(stamp!)).toBeLessThan(FRESH_MS + 2000)
      const bodies = await Promise.all(responses.map(json))
      if (read !== 'backups') expect(new Set(bodies.map((b) => b.computedAt))).toEqual(stamps)
    }
  })

  it('never shares between targets or reviewed roles, and a viewer still may not review another role', async () => {
    const [main, other] = await Promise.all([json(await get('main/overview')), json(await get('other/overview'))])
    expect([main.target.id, other.target.id]).toEqual(['main', 'other'])
    expect(main.connection.database).toBe(c.targets[0].database)
    expect(other.connection.database).toBe(c.targets[1].database)
    const app = await json(await get('main/privileges'))
    const postgres = await json(await get('main/privileges?role=postgres'))
    expect([app.role, postgres.role]).toEqual([c.targets[0].appRole, 'postgres'])
    expect((await get('main/privileges?role=postgres', viewer)).status).toBe(403)
  })

  it('answers afresh right after SKIP_MIGRATIONS is toggled', async () => {
    const before = await json(await get('main/overview'))
    expect(before.skipMigrations.effective).toBe(true)
    const put = await c.request('/api/targets/main/skip-migrations', { method: 'PUT', cookie: admin, body: { enabled: false, confirm: 'main' } })
    expect(put.status).toBe(200)
    const after = await json(await get('main/overview'))
    expect(after.skipMigrations.effective).toBe(false)
    expect(after.computedAt > before.computedAt).toBe(true)
  })

  it('lists a backup as finished as soon as its job reads as finished, though the list was read while it ran', async () => {
    const start = await c.request('/api/targets/other/backups', { method: 'POST', cookie: admin, body: { confirm: 'other' } })
    expect(start.status).toBe(202)
    const { jobId } = await json(start)
    const readJob = jobsOverHttp((path) => c.request(path, { cookie: admin }))
    // Reading the list while the job runs keeps a shared answer that predates the finished dump.
    const job = await waitForJob(async (id) => { await get('other/backups'); return readJob(id) }, jobId)
    expect(job.status).toBe('succeeded')
    const list = await json(await get('other/backups'))
    expect(list.map((b: { status: string }) => b.status)).toEqual(['unverified'])
  })
})
