import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cluster } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'
import { jobsOverHttp, waitForJob } from '../support/jobs'

// A backup held mid-dump: a session holding ACCESS EXCLUSIVE on the one table makes pg_dump (and the row counts
// in its snapshot) wait, with the `.partial` file already open, until the test lets go.
describe('running jobs of a target, while a backup is held mid-dump', () => {
  let c: ConsoleFixture
  let admin: string
  let operator: string
  let viewer: string
  let blocker: pg.Client
  let jobId: number
  beforeAll(async () => {
    c = await startConsoleFixture()
    admin = await c.login('admin', c.adminPassword)
    operator = await c.signInAs('oscar', 'operator')
    viewer = await c.signInAs('vina', 'viewer')
    // Left by a console that died mid-dump: no job writes it.
    writeFileSync(join(c.targets[0].dir, 'backups', 'dbsafe_main_20261101T020000Z.dump.partial'), 'PGDMP half a dump')
    blocker = new pg.Client(cluster().urlFor(c.targets[0].database))
    await blocker.connect()
    await blocker.query('BEGIN; LOCK TABLE things IN ACCESS EXCLUSIVE MODE')
    const res = await c.request('/api/targets/main/backups', { method: 'POST', cookie: admin, body: { confirm: 'main' } })
    expect(res.status).toBe(202)
    jobId = (await json(res)).jobId
    await writingFile(jobId)
  })
  afterAll(async () => {
    await blocker?.end().catch(() => {})
    await c?.cleanup()
  })
  const running = (cookie: string, query = 'target=main&status=queued,running') => c.request(`/api/jobs?${query}`, { cookie })

  // The job names its file before pg_dump opens it; its progress reaches the console database within 200 ms.
  async function writingFile(id: number): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const job = await json(await c.request(`/api/jobs/${id}`, { cookie: admin }))
      if (job.progress.file) return job.progress.file
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`job ${id} never named the file it writes`)
  }

  it('lists the running backup for a viewer, and only jobs still going', async () => {
    const res = await running(viewer)
    expect(res.status).toBe(200)
    const jobs = await json(res)
    expect(jobs.map((j: any) => [j.id, j.kind, j.status, j.createdBy])).toEqual([[jobId, 'backups.take', 'running', 'admin']])
    expect(await json(await running(viewer, 'target=main&status=running&kind=migrations.run,migrations.rehearse'))).toEqual([])
    expect(await json(await running(viewer, 'target=other&status=queued,running'))).toEqual([])
    const bad = await running(viewer, 'target=main&status=going')
    expect(bad.status).toBe(400)
    expect((await json(bad)).message).toContain('status')
  })

  it('refuses a second backup as busy, naming the running job to follow', async () => {
    const res = await c.request('/api/targets/main/backups', { method: 'POST', cookie: operator, body: { confirm: 'main' } })
    expect(res.status).toBe(409)
    const body = await json(res)
    expect(body.message).toMatch(/already running/)
    expect(body.data.jobId).toBe(jobId)
  })

  it('shows the file being written as its job\'s, and a partial file no job writes as left over', async () => {
    const file = await writingFile(jobId)
    const list = await json(await c.request('/api/targets/main/backups', { cookie: viewer }))
    const writing = list.find((b: any) => b.id === file)
    expect(writing).toMatchObject({ status: 'partial', jobId })
    expect(writing.problem).toBeUndefined()
    const left = list.find((b: any) => b.id === 'dbsafe_main_20261101T020000Z.dump.partial')
    expect(left.status).toBe('partial')
    expect(left.jobId).toBeUndefined()
    expect(left.problem).toMatch(/did not finish/)
  })

  it('once let go, the backup finishes, leaves the running list, and its file is a backup like any other', async () => {
    const file = await writingFile(jobId)
    await blocker.query('COMMIT')
    const job = await waitForJob(jobsOverHttp((path) => c.request(path, { cookie: admin })), jobId, { timeoutMs: 30_000 })
    expect(job.status).toBe('succeeded')
    expect(await json(await running(viewer))).toEqual([])
    // The shared inventory is invalidated when the job ends: no wait for its 5 s to pass.
    const list = await json(await c.request('/api/targets/main/backups', { cookie: viewer }))
    expect(list.find((b: any) => b.id === file)).toBeUndefined()
    const done = list.find((b: any) => b.id === file.replace(/\.partial$/, ''))
    expect(done).toMatchObject({ status: 'unverified' })
    expect(done.jobId).toBeUndefined()
  })
})
