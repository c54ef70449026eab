import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginCookie, startConsoleProcess, type RunningConsole } from '../support/console'
import { asSuperuser, cluster } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'
import { jobsOverHttp, waitForJob } from '../support/jobs'

describe('a console that dies mid-job', () => {
  let c: ConsoleFixture
  let other: RunningConsole
  let cookie: string
  beforeAll(async () => {
    c = await startConsoleFixture()
    // Enough data that a dump takes a moment, so a crash lands in the middle of one.
    await asSuperuser(cluster().urlFor(c.targets[0].database),
      `INSERT INTO things (name) SELECT md5(g::text) || md5((g * 3)::text) || md5((g * 7)::text) FROM generate_series(1, 600000) g`)
    cookie = await c.login('admin', c.adminPassword)
    other = await startConsoleProcess(c.env)
  })
  afterAll(async () => {
    await other?.stop()
    await c?.cleanup()
  })

  it('does not keep other instances from backing up the target, and its job reads interrupted there at once', async () => {
    const backupsDir = join(c.targets[0].dir, 'backups')
    const res = await c.request('/api/targets/main/backups', { method: 'POST', cookie, body: { confirm: 'main' } })
    expect(res.status).toBe(202)
    const { jobId } = await json(res)
    for (let i = 0; i < 200 && !readdirSync(backupsDir).some((f) => f.endsWith('.partial')); i++) await new Promise((r) => setTimeout(r, 20))
    await c.crash()
    const cookie2 = await loginCookie(other.url, 'admin', c.adminPassword)
    const get = (path: string) => fetch(`${other.url}${path}`, { headers: { cookie: cookie2 } })
    expect((await json(await get(`/api/jobs/${jobId}`))).status).toBe('interrupted')
    const again = await fetch(`${other.url}/api/targets/main/backups`, {
      method: 'POST', headers: { 'cookie': cookie2, 'content-type': 'application/json' }, body: JSON.stringify({ confirm: 'main' }),
    })
    expect(again.status).toBe(202)
    expect((await waitForJob(jobsOverHttp(get), (await json(again)).jobId, { timeoutMs: 60_000 })).status).toBe('succeeded')
  })
})
