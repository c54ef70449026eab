import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asSuperuser, cluster, queryRows } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'
import { jobsOverHttp, waitForJob } from '../support/jobs'
import { once } from '../support/once'

describe('migrations over HTTP', () => {
  let c: ConsoleFixture
  let admin: string
  let viewer: string
  beforeAll(async () => {
    c = await startConsoleFixture()
    const t = c.targets[0]
    await asSuperuser(cluster().urlFor(t.database), `GRANT CREATE ON SCHEMA public TO ${t.appRole}`)
    const dir = join(t.dir, 'migrations')
    writeFileSync(join(dir, '001_widgets.sql'), 'CREATE TABLE IF NOT EXISTS widgets (id int PRIMARY KEY);\nCREATE TABLE IF NOT EXISTS widgets_old (id int);\n')
    writeFileSync(join(dir, '002_drop_old.sql'), '-- old table\nDROP TABLE widgets_old;\n')
    admin = await c.login('admin', c.adminPassword)
    await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: 'vee', password: 'viewer-password', role: 'viewer' } })
    viewer = await c.login('vee', 'viewer-password')
  })
  afterAll(async () => { await c?.cleanup() })
  const run = (cookie: string, body: unknown) => c.request('/api/targets/main/migrations/run', { method: 'POST', cookie, body })
  const finished = (jobId: number) => waitForJob(jobsOverHttp((path) => c.request(path, { cookie: admin })), jobId)
  // The refused attempts, made once by the first test that needs them (the run's audit trail starts with them).
  const refusedRuns = once(async () => ({
    byViewer: await run(viewer, { confirm: 'main' }),
    wrong: await run(admin, { confirm: 'prod' }),
    noBackup: await run(admin, { confirm: 'main', upTo: '001_widgets' }),
    destructive: await run(admin, { confirm: 'main', override: { reason: 'staging copy, no data' } }),
    badAck: await run(admin, { confirm: 'main', acknowledge: ['drop everything'] }),
  }))

  it('lists pending migrations with parser findings, and shows one with its SQL', async () => {
    const list = await json(await c.request('/api/targets/main/migrations', { cookie: viewer }))
    expect(list.tracker).toEqual({ kind: 'dbsafe', readable: true, exists: false })
    expect(list.migrations.map((m: any) => [m.name, m.status])).toEqual([['001_widgets', 'pending'], ['002_drop_old', 'pending']])
    const drop = list.migrations[1].findings.find((f: any) => f.rule === 'drop-table')
    expect(drop).toMatchObject({ severity: 'destructive', line: 2 })
    const detail = await json(await c.request('/api/targets/main/migrations/002_drop_old', { cookie: viewer }))
    expect(detail.sql).toContain('DROP TABLE widgets_old')
    expect((await c.request('/api/targets/main/migrations/999_nope', { cookie: viewer })).status).toBe(404)
  })

  it('guards the run: viewer 403, wrong confirm 400, no backup 409 with a code, destructive 409 listing findings', async () => {
    const { byViewer, wrong, noBackup, destructive, badAck } = await refusedRuns()
    expect(byViewer.status).toBe(403)
    expect(wrong.status).toBe(400)
    expect((await json(wrong)).message).toContain('confirm')
    expect(noBackup.status).toBe(409)
    expect((await json(noBackup)).data.code).toBe('no-fresh-backup')
    expect(destructive.status).toBe(409)
    const body = await json(destructive)
    expect(body.data.code).toBe('unacknowledged')
    expect(body.data.findings[0].acknowledgeAs).toBe('002_drop_old:drop-table')
    expect(badAck.status).toBe(400)
    expect((await json(badAck)).message).toContain('acknowledge')
  })

  it('runs with acknowledgement and override: 202, the job applies both, the audit log has every attempt', async () => {
    await refusedRuns()
    const res = await run(admin, { confirm: 'main', acknowledge: ['002_drop_old:drop-table'], override: { reason: 'staging copy, no data' }, idempotencyKey: 'api-test-key-1' })
    expect(res.status).toBe(202)
    const { jobId } = await json(res)
    const job = await finished(jobId)
    expect(job.status).toBe('succeeded')
    expect(job.log.map((l: any) => l.line).join('\n')).toContain('DROP TABLE widgets_old')
    const again = await run(admin, { confirm: 'main', acknowledge: ['002_drop_old:drop-table'], override: { reason: 'staging copy, no data' }, idempotencyKey: 'api-test-key-1' })
    expect(await json(again)).toEqual({ jobId })
    const list = await json(await c.request('/api/targets/main/migrations', { cookie: viewer }))
    expect(list.migrations.map((m: any) => m.status)).toEqual(['applied', 'applied'])
    expect(list.migrations[0].appliedBy).toBe('admin')

    const rows = await queryRows(c.consoleDatabaseUrl, "SELECT actor, outcome, params FROM audit_log WHERE action = 'migrations.run' ORDER BY id")
    expect(rows.map((r) => r.outcome.split(':')[0])).toEqual(['refused 403', 'refused 400', 'refused 409', 'refused 409', 'refused 400', 'ok', 'ok'])
    expect(rows[5].params).toMatchObject({ overrideReason: 'staging copy, no data', jobId })
  })
})
