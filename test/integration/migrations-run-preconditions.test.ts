import { utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pgDump } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'
import { jobsOverHttp, waitForJob } from '../support/jobs'
import { once } from '../support/once'

const HOUR = 3_600_000
// A seed-style name carries its time: "db_backup_20261130_104500.sql".
const stampName = (at: Date) => `db_backup_${at.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)}.sql`

// The run dialog reads the run's own checks before the click; the typed confirmation follows one table.
describe('run preconditions and proportional confirmations over HTTP', () => {
  let c: ConsoleFixture
  let admin: string
  let operator: string
  beforeAll(async () => {
    c = await startConsoleFixture()
    const t = c.targets[0]
    writeFileSync(join(t.dir, 'migrations', '001_widgets.sql'), 'CREATE TABLE widgets (id int PRIMARY KEY);\nCREATE TABLE widgets_old (id int);\n')
    writeFileSync(join(t.dir, 'migrations', '002_drop_old.sql'), 'DROP TABLE widgets_old;\n')
    const at = new Date(Date.now() - 33 * HOUR)
    const file = join(t.dir, 'backups', stampName(at))
    writeFileSync(file, pgDump(t.database))
    utimesSync(file, at, at)
    admin = await c.login('admin', c.adminPassword)
    await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: 'otto', password: 'operator-password', role: 'operator' } })
    operator = await c.login('otto', 'operator-password')
  })
  afterAll(async () => { await c?.cleanup() })
  const preconditions = async () => json(await c.request('/api/targets/main/migrations/run-preconditions', { cookie: operator }))
  const check = (body: any, id: string) => body.checks.find((x: any) => x.id === id)
  const run = (body: unknown) => c.request('/api/targets/main/migrations/run', { method: 'POST', cookie: admin, body })
  const stale = once(async () => ({
    before: await preconditions(),
    refused: await run({ confirm: 'main', acknowledge: ['002_drop_old:drop-table'] }),
  }))

  it('states a 33-hour-old backup in plain words before the run, and the run refuses with the same words', async () => {
    const { before, refused } = await stale()
    expect(check(before, 'backup')).toEqual({ id: 'backup', ok: false, overridable: true, text: 'The newest usable backup is 33 hours old; a run needs one from the last 60 minutes' })
    expect(check(before, 'acknowledged')).toMatchObject({ ok: false, text: '1 destructive statement not accepted yet' })
    expect(check(before, 'runner')).toMatchObject({ ok: true })
    expect(check(before, 'tracker')).toMatchObject({ ok: true, text: 'The dbsafe tracker can be read' })
    expect(check(before, 'no-other-run')).toEqual({ id: 'no-other-run', ok: true, text: 'No other run is in progress' })
    expect(before.runningJobId).toBeNull()
    expect(refused.status).toBe(409)
    const message = (await json(refused)).message
    expect(message).toContain('the newest usable backup is 33 hours old; a run needs one from the last 60 minutes')
    expect(message).not.toMatch(/override\.reason|minutes old/)
  })

  it('refuses a migration run and a prune without the typed target id, naming a mistyped one', async () => {
    await stale()
    const missing = await run({ acknowledge: ['002_drop_old:drop-table'] })
    expect(missing.status).toBe(400)
    expect((await json(missing)).message).toContain('confirm')
    const mistyped = await run({ confirm: 'Main', acknowledge: ['002_drop_old:drop-table'] })
    expect(mistyped.status).toBe(400)
    expect((await json(mistyped)).message).toContain('type the target id "main" exactly; you typed "Main"')
    const prune = await c.request('/api/targets/main/backups/prune', { method: 'POST', cookie: admin, body: {} })
    expect(prune.status).toBe(400)
    expect((await json(prune)).message).toContain('confirm')
  })

  it('takes a backup with no typed confirmation, after which the backup check holds', async () => {
    await stale()
    const res = await c.request('/api/targets/main/backups', { method: 'POST', cookie: operator, body: { label: 'before the run' } })
    expect(res.status).toBe(202)
    const job = await waitForJob(jobsOverHttp((path) => c.request(path, { cookie: operator })), (await json(res)).jobId)
    expect(job.status).toBe('succeeded')
    const after = check(await preconditions(), 'backup')
    expect(after.ok).toBe(true)
    expect(after.text).toMatch(/^The newest usable backup is \d+ minutes? old \(a run needs one from the last 60 minutes\)$/)
    // A confirmation sent anyway must still name this target.
    const wrongTarget = await c.request('/api/targets/main/backups', { method: 'POST', cookie: operator, body: { confirm: 'staging' } })
    expect(wrongTarget.status).toBe(400)
  })
})
