import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { markInterruptedJobs, runJob } from '~server/jobs/run'
import { JOB_LOCK_NAMESPACE } from '~server/jobs/sessions'
import { createJob, getJob } from '~server/jobs/store'
import { loginCookie, startConsoleProcess, writeConfig } from '../support/console'
import { createConsoleDatabase, createTestDatabase } from '../support/db'

describe('jobs', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  beforeAll(async () => {
    db = await createConsoleDatabase('jobs')
  })
  afterAll(async () => { await db.drop() })

  it('records a successful run: status, log lines in order, merged progress and the result', async () => {
    const { job } = await createJob(db.pool, { kind: 'test', target: 'main', createdBy: 'alice', params: { n: 3 } })
    expect(job.status).toBe('queued')
    const result = await runJob(db.pool, job.id, async (ctx) => {
      for (let i = 1; i <= 3; i++) {
        ctx.log(`step ${i}`)
        ctx.progress({ done: i, total: 3 })
      }
      ctx.progress({ bytes: 1234 })
      return { ok: 'yes' }
    })
    expect(result).toEqual({ ok: 'yes' })
    const saved = await getJob(db.pool, job.id)
    expect(saved).toMatchObject({ status: 'succeeded', progress: { done: 3, total: 3, bytes: 1234 }, result: { ok: 'yes' }, error: null, createdBy: 'alice' })
    expect(saved!.log.map((l) => l.line)).toEqual(['step 1', 'step 2', 'step 3'])
    expect(saved!.startedAt).not.toBeNull()
    expect(saved!.finishedAt).not.toBeNull()
  })

  it('records a failure with its message', async () => {
    const { job } = await createJob(db.pool, { kind: 'test', target: 'main', createdBy: null })
    await runJob(db.pool, job.id, async (ctx) => {
      ctx.log('starting')
      throw new Error('disk full')
    })
    const saved = await getJob(db.pool, job.id)
    expect(saved).toMatchObject({ status: 'failed', error: 'disk full' })
    expect(saved!.log.map((l) => l.line)).toEqual(['starting', 'error: disk full'])
  })

  it('returns the same job for a repeated idempotency key, a new one for another key', async () => {
    const a = await createJob(db.pool, { kind: 'test', target: 'main', createdBy: 'bob', idempotencyKey: 'k1' })
    const b = await createJob(db.pool, { kind: 'test', target: 'main', createdBy: 'bob', idempotencyKey: 'k1' })
    const c = await createJob(db.pool, { kind: 'test', target: 'main', createdBy: 'bob', idempotencyKey: 'k2' })
    expect([a.created, b.created, c.created]).toEqual([true, false, true])
    expect(b.job.id).toBe(a.job.id)
    expect(c.job.id).not.toBe(a.job.id)
  })

  it('marks running jobs of dead instances interrupted, not those still held by a live one', async () => {
    const dead = (await createJob(db.pool, { kind: 'test', target: 'main', createdBy: null })).job
    const alive = (await createJob(db.pool, { kind: 'test', target: 'main', createdBy: null })).job
    await db.pool.query(`UPDATE jobs SET status = 'running' WHERE id = ANY($1)`, [[dead.id, alive.id]])
    const holder = new pg.Client(db.url)
    await holder.connect()
    await holder.query('SELECT pg_advisory_lock($1, $2)', [JOB_LOCK_NAMESPACE, alive.id])
    const marked = await markInterruptedJobs(db.pool)
    expect(marked).toContain(dead.id)
    expect(marked).not.toContain(alive.id)
    expect((await getJob(db.pool, dead.id))!.status).toBe('interrupted')
    expect((await getJob(db.pool, alive.id))!.status).toBe('running')
    // Read again once its holder is gone, the job is judged by its lock then and there, without a restart.
    await holder.end()
    expect((await getJob(db.pool, alive.id))!.status).toBe('interrupted')
  })
})

describe('job API and live events', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  let console_: Awaited<ReturnType<typeof startConsoleProcess>>
  let cookie: string
  beforeAll(async () => {
    db = await createTestDatabase('jobs_api')
    console_ = await startConsoleProcess({
      DBSAFE_CONFIG: writeConfig({ targets: [{ id: 'main', label: 'Main', envFile: '/nonexistent/.env', migrationsDir: '/tmp', backupsDir: '/tmp' }] }),
      DBSAFE_DATABASE_URL: db.url, DBSAFE_ADMIN_PASSWORD: 'admin-password-1',
    })
    cookie = await loginCookie(console_.url, 'admin', 'admin-password-1')
  })
  afterAll(async () => {
    await console_.stop()
    await db.drop()
  })

  it('streams progress and log lines over SSE while the job runs, then ends', async () => {
    const { job } = await createJob(db.pool, { kind: 'test', target: 'main', createdBy: 'admin' })
    const running = runJob(db.pool, job.id, async (ctx) => {
      for (let i = 1; i <= 4; i++) {
        ctx.log(`table ${i} done`)
        ctx.progress({ done: i, total: 4 })
        await new Promise((r) => setTimeout(r, 250))
      }
    })
    const res = await fetch(`${console_.url}/api/jobs/${job.id}/events`, { headers: { cookie } })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const text = await res.text()
    await running
    expect(text).toMatch(/event: log/)
    for (let i = 1; i <= 4; i++) expect(text).toContain(`table ${i} done`)
    const jobEvents = text.split('\n\n').filter((e) => e.startsWith('event: job')).map((e) => JSON.parse(e.split('data: ')[1]))
    expect(jobEvents.length).toBeGreaterThanOrEqual(2)
    expect(jobEvents.at(-1)).toMatchObject({ status: 'succeeded', progress: { done: 4, total: 4 } })
  })

  it('answers GET /api/jobs/:job with the log, 404 for an unknown job and 400 for a bad id', async () => {
    const { job } = await createJob(db.pool, { kind: 'test', target: 'main', createdBy: 'admin' })
    await runJob(db.pool, job.id, async (ctx) => { ctx.log('hello') })
    const ok = await fetch(`${console_.url}/api/jobs/${job.id}`, { headers: { cookie } })
    expect(await ok.json()).toMatchObject({ id: job.id, status: 'succeeded', log: [{ line: 'hello' }] })
    expect((await fetch(`${console_.url}/api/jobs/999999`, { headers: { cookie } })).status).toBe(404)
    const bad = await fetch(`${console_.url}/api/jobs/abc`, { headers: { cookie } })
    expect(bad.status).toBe(400)
    expect((await bad.json() as { message: string }).message).toContain('job')
  })

  it('a console starting after a crash shows the crashed job as interrupted', async () => {
    const { job } = await createJob(db.pool, { kind: 'test', target: 'main', createdBy: 'admin' })
    await db.pool.query(`UPDATE jobs SET status = 'running' WHERE id = $1`, [job.id])
    const second = await startConsoleProcess({
      DBSAFE_CONFIG: writeConfig({ targets: [{ id: 'main', label: 'Main', envFile: '/nonexistent/.env', migrationsDir: '/tmp', backupsDir: '/tmp' }] }),
      DBSAFE_DATABASE_URL: db.url,
    })
    await second.stop()
    expect((await getJob(db.pool, job.id))!.status).toBe('interrupted')
  })
})
