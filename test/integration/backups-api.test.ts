import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asSuperuser, cluster, createRestoreRole, queryRows } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'
import { jobsOverHttp, waitForJob } from '../support/jobs'
import { once } from '../support/once'

describe('backups over HTTP', () => {
  let c: ConsoleFixture
  let restoreRole: Awaited<ReturnType<typeof createRestoreRole>>
  let admin: string
  let operator: string
  let viewer: string
  let targetUrl: string
  beforeAll(async () => {
    restoreRole = await createRestoreRole()
    c = await startConsoleFixture({ targetSettings: { restoreTestUrl: restoreRole.url } })
    targetUrl = cluster().urlFor(c.targets[0].database)
    await asSuperuser(targetUrl, `INSERT INTO things (name) SELECT 'thing ' || g FROM generate_series(1, 500) g; GRANT CREATE ON SCHEMA public TO ${c.targets[0].appRole}`)
    admin = await c.login('admin', c.adminPassword)
    for (const [u, role] of [['oscar', 'operator'], ['vina', 'viewer']]) {
      await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: u, password: `${u}-password-1`, role } })
    }
    operator = await c.login('oscar', 'oscar-password-1')
    viewer = await c.login('vina', 'vina-password-1')
  })
  afterAll(async () => {
    await c?.cleanup()
    await restoreRole?.drop()
  })
  const take = (cookie: string, body: unknown) => c.request('/api/targets/main/backups', { method: 'POST', cookie, body })
  const finished = (jobId: number) => waitForJob(jobsOverHttp((path) => c.request(path, { cookie: admin })), jobId)
  // The one backup of this file: taken by the first test that needs it, so each test also passes alone.
  const backup = once(async () => {
    const res = await take(operator, { confirm: 'main', label: 'before deploy' })
    return { status: res.status, job: await finished((await json(res)).jobId) }
  })

  it('starts empty, refuses viewers and a wrong confirmation', async () => {
    expect(await json(await c.request('/api/targets/main/backups', { cookie: viewer }))).toEqual([])
    expect((await take(viewer, { confirm: 'main' })).status).toBe(403)
    const wrong = await take(operator, { confirm: 'prod' })
    expect(wrong.status).toBe(400)
    expect((await json(wrong)).message).toContain('confirm')
  })

  it('takes a backup as an operator: a job with table progress, then a listed custom dump with its manifest', async () => {
    const { status, job } = await backup()
    expect(status).toBe(202)
    expect(job.error).toBeNull()
    expect(job.status).toBe('succeeded')
    expect(job.progress.done).toBe(job.progress.total)
    expect(job.progress.bytes).toBeGreaterThan(0)
    expect(job.log.map((l: any) => l.line).join('\n')).toMatch(/things/)
    expect(JSON.stringify(job)).not.toContain(c.targets[0].appPassword)
    const list = await json(await c.request('/api/targets/main/backups', { cookie: viewer }))
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ format: 'custom', status: 'unverified', createdBy: 'oscar', label: 'before deploy' })
    expect(list[0].manifest.totalRows).toBe(500)
  })

  it('answers 409 while another backup of the target holds the lock, from any instance', async () => {
    const holder = new pg.Client(targetUrl)
    await holder.connect()
    await holder.query('SELECT pg_advisory_lock(730516, 1)')
    const res = await take(operator, { confirm: 'main' })
    await holder.end()
    expect(res.status).toBe(409)
    expect((await json(res)).message).toMatch(/already running/)
  })

  it('restore-tests a backup into a scratch database and marks it verified', async () => {
    await backup()
    const [entry] = await json(await c.request('/api/targets/main/backups', { cookie: viewer }))
    const res = await c.request(`/api/targets/main/backups/${entry.id}/verify`, { method: 'POST', cookie: operator, body: {} })
    expect(res.status).toBe(202)
    const job = await finished((await json(res)).jobId)
    expect(job.status).toBe('succeeded')
    const [after] = await json(await c.request('/api/targets/main/backups', { cookie: viewer }))
    expect(after).toMatchObject({ id: entry.id, status: 'verified' })
    const rows = await queryRows(cluster().adminUrl, "SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'dbsafe_verify_%'")
    expect(rows[0].n).toBe(0)
    expect((await c.request('/api/targets/main/backups/nope.dump/verify', { method: 'POST', cookie: operator, body: {} })).status).toBe(404)
  })

  it('downloads exactly the file for operators, and nothing outside the backups dir', async () => {
    await backup()
    const [entry] = await json(await c.request('/api/targets/main/backups', { cookie: viewer }))
    expect((await c.request(`/api/targets/main/backups/${entry.id}/download`, { cookie: viewer })).status).toBe(403)
    const res = await c.request(`/api/targets/main/backups/${entry.id}/download`, { cookie: operator })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toContain(entry.id)
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(createHash('sha256').update(readFileSync(entry.file)).digest('hex'))
    writeFileSync(join(c.targets[0].dir, 'secret.txt'), 'not a backup')
    for (const id of ['..%2Fsecret.txt', '%2Fetc%2Fpasswd', 'secret.txt', '..%2Fapp.env']) {
      const bad = await c.request(`/api/targets/main/backups/${id}/download`, { cookie: operator })
      expect(bad.status, id).toBe(404)
    }
  })

  it('lets a migration run without an override once a fresh backup exists', async () => {
    await backup()
    writeFileSync(join(c.targets[0].dir, 'migrations', '001_noop.sql'), 'CREATE TABLE IF NOT EXISTS noop (id int);\n')
    const res = await c.request('/api/targets/main/migrations/run', { method: 'POST', cookie: admin, body: { confirm: 'main' } })
    expect(res.status).toBe(202)
    expect((await finished((await json(res)).jobId)).status).toBe('succeeded')
  })

  it('previews retention and prunes only with an admin confirmation, keeping the newest backups', async () => {
    await backup()
    const plan = await json(await c.request('/api/targets/main/backups/retention', { cookie: viewer }))
    expect(plan.remove).toEqual([])
    expect(plan.keep.length).toBe(1)
    expect((await c.request('/api/targets/main/backups/prune', { method: 'POST', cookie: operator, body: { confirm: 'main' } })).status).toBe(403)
    const pruned = await c.request('/api/targets/main/backups/prune', { method: 'POST', cookie: admin, body: { confirm: 'main' } })
    expect(await json(pruned)).toEqual({ removed: [] })
    expect(await json(await c.request('/api/targets/main/backups', { cookie: viewer }))).toHaveLength(1)
  })
})
