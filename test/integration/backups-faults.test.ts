import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginCookie, startConsoleProcess } from '../support/console'
import { asSuperuser, cluster, createRestoreRole } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'
import { jobsOverHttp, waitForJob } from '../support/jobs'

describe('backup faults a person would otherwise learn about during a restore', () => {
  let c: ConsoleFixture
  let restoreRole: Awaited<ReturnType<typeof createRestoreRole>>
  let cookie: string
  let backupsDir: string
  beforeAll(async () => {
    restoreRole = await createRestoreRole()
    c = await startConsoleFixture({ targetSettings: { restoreTestUrl: restoreRole.url } })
    backupsDir = join(c.targets[0].dir, 'backups')
    // Enough data that a dump takes a moment, so a crash can land in the middle of one.
    await asSuperuser(cluster().urlFor(c.targets[0].database),
      `INSERT INTO things (name) SELECT md5(g::text) || md5((g * 3)::text) || md5((g * 7)::text) FROM generate_series(1, 600000) g`)
    cookie = await c.login('admin', c.adminPassword)
  })
  afterAll(async () => {
    await c?.cleanup()
    await restoreRole?.drop()
  })
  const backups = async (cookieNow = cookie, url = c.url) => json(await fetch(`${url}/api/targets/main/backups`, { headers: { cookie: cookieNow } }))
  const finished = (jobId: number, url = c.url, cookieNow = cookie) =>
    waitForJob(jobsOverHttp((path) => fetch(`${url}${path}`, { headers: { cookie: cookieNow } })), jobId)

  it('recognises random bytes named .dump as corrupt by reading them', async () => {
    const file = join(backupsDir, 'random_bytes.dump')
    writeFileSync(file, randomBytes(64 * 1024))
    // Not still being written: a file that fails its check within a minute of changing shows as partial.
    const earlier = new Date(Date.now() - 5 * 60_000)
    utimesSync(file, earlier, earlier)
    const entry = (await backups()).find((b: any) => b.id === 'random_bytes.dump')
    expect(entry).toMatchObject({ status: 'corrupt', format: 'custom' })
    expect(entry.problem).toBeTruthy()
  })

  it('a restore test catches a dump that lacks a table its manifest promised', async () => {
    const res = await c.request('/api/targets/main/backups', { method: 'POST', cookie, body: { confirm: 'main' } })
    expect((await finished((await json(res)).jobId)).status).toBe('succeeded')
    const entry = (await backups()).find((b: any) => b.id.startsWith('dbsafe_main_'))
    const manifestFile = `${entry.file}.manifest.json`
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'))
    manifest.tables.push({ schema: 'public', name: 'invoices', rows: 120 })
    writeFileSync(manifestFile, JSON.stringify(manifest))
    const verify = await c.request(`/api/targets/main/backups/${entry.id}/verify`, { method: 'POST', cookie, body: {} })
    const job = await finished((await json(verify)).jobId)
    expect(job.status).toBe('failed')
    expect(job.error).toContain('invoices')
    const after = (await backups()).find((b: any) => b.id === entry.id)
    expect(after.status).toBe('corrupt')
    expect(after.problem).toContain('invoices')
  })

  it('a console killed mid-backup leaves an interrupted job and nothing that looks like a usable backup', async () => {
    const before = (await backups()).filter((b: any) => b.status === 'verified' || b.status === 'unverified').map((b: any) => b.id)
    const res = await c.request('/api/targets/main/backups', { method: 'POST', cookie, body: { confirm: 'main' } })
    const { jobId } = await json(res)
    for (let i = 0; i < 100 && !readdirSync(backupsDir).some((f) => f.endsWith('.partial')); i++) await new Promise((r) => setTimeout(r, 20))
    await c.crash()
    const again = await startConsoleProcess(c.env)
    try {
      const cookie2 = await loginCookie(again.url, 'admin', c.adminPassword)
      const job = await finished(jobId, again.url, cookie2)
      expect(job.status).toBe('interrupted')
      const usable = (await backups(cookie2, again.url)).filter((b: any) => b.status === 'verified' || b.status === 'unverified').map((b: any) => b.id)
      expect(usable).toEqual(before)
    } finally {
      await again.stop()
    }
  })
})
