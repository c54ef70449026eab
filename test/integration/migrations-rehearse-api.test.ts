import { utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cluster, createRestoreRole, pgDump } from '../support/db'
import { createTargetFixture, startConsoleFixture, type ConsoleFixture, type TargetFixture } from '../support/fixture'
import { json } from '../support/http'
import { jobsOverHttp, waitForJob } from '../support/jobs'

const GOOD = 'ALTER TABLE things ADD COLUMN note text;\n\nCREATE INDEX things_name_idx ON things (name);\n'
const BAD = 'ALTER TABLE things ADD COLUMN colour text;\n\nUPDATE things\n   SET colour = missing_column;\n'

describe('rehearsing pending migrations over HTTP', () => {
  let c: ConsoleFixture
  let restoreRole: Awaited<ReturnType<typeof createRestoreRole>>
  let unsafe: TargetFixture & { drop: () => Promise<void> }
  let live: pg.Pool
  let operator: string
  let viewer: string
  const migrationsDir = (t: TargetFixture) => join(t.dir, 'migrations')
  const rehearse = (cookie: string, target = 'main') => c.request(`/api/targets/${target}/migrations/rehearse`, { method: 'POST', cookie, body: {} })
  const latest = async (cookie = viewer) => json(await c.request('/api/targets/main/migrations/rehearsal', { cookie }))
  const finished = (jobId: number) => waitForJob(jobsOverHttp((path) => c.request(path, { cookie: operator })), jobId, { timeoutMs: 60_000 })
  // What a rehearsal must never change on the target: its columns, its indexes, and the absence of a tracking table.
  const targetState = async () => (await live.query(`SELECT
      (SELECT json_agg(column_name ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'things') AS columns,
      (SELECT json_agg(indexname ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public') AS indexes,
      to_regclass('public.dbsafe_migrations') IS NULL AS "noTrackingTable"`)).rows[0]

  beforeAll(async () => {
    restoreRole = await createRestoreRole()
    // A second target whose restore-test server is reached as the cluster's superuser: a role that could escalate.
    unsafe = await createTargetFixture('unsafe')
    c = await startConsoleFixture({
      targetSettings: { restoreTestUrl: restoreRole.url },
      extraTargets: [{ id: 'unsafe', label: 'Unsafe restore', envFile: unsafe.envFile, migrationsDir: migrationsDir(unsafe), backupsDir: join(unsafe.dir, 'backups'), restoreTestUrl: cluster().adminUrl }],
    })
    const t = c.targets[0]
    live = new pg.Pool({ connectionString: cluster().urlFor(t.database), max: 2 })
    await live.query(`INSERT INTO things (name) SELECT 'thing ' || g FROM generate_series(1, 5000) g`)
    writeFileSync(join(migrationsDir(t), '001_things_note.sql'), GOOD)
    writeFileSync(join(migrationsDir(unsafe), '001_things_note.sql'), GOOD)
    writeFileSync(join(unsafe.dir, 'backups', 'db_backup_20250301_020000.dump'), pgDump(unsafe.database, ['-Fc']))
    const admin = await c.login('admin', c.adminPassword)
    for (const [u, role] of [['olga', 'operator'], ['vic', 'viewer']]) {
      await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: u, password: `${u}-password-1`, role } })
    }
    operator = await c.login('olga', 'olga-password-1')
    viewer = await c.login('vic', 'vic-password-1')
  })
  afterAll(async () => {
    await live?.end()
    await c?.cleanup()
    await unsafe?.drop()
    await restoreRole?.drop()
  })

  it('shows no rehearsal yet, and refuses viewers', async () => {
    expect(await latest()).toEqual({ rehearsal: null, drift: null })
    const res = await rehearse(viewer)
    expect(res.status).toBe(403)
  })

  it('refuses with 409 and the reason when there is no usable backup, before any job exists', async () => {
    const broken = join(c.targets[0].dir, 'backups', 'db_backup_20250302_020000.sql.gz')
    writeFileSync(broken, 'not gzip at all')
    // An hour old: a file written just now could still be being written (partial), not corrupt.
    utimesSync(broken, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000))
    const res = await rehearse(operator)
    expect(res.status).toBe(409)
    const body = await json(res)
    expect(body.data.code).toBe('no-usable-backup')
    expect(body.message).toContain('none usable: db_backup_20250302_020000.sql.gz is corrupt')
    expect(await json(await c.request('/api/jobs?target=main&kind=migrations.rehearse', { cookie: viewer }))).toEqual([])
    const [entry] = await json(await c.request('/api/audit?action=migrations.rehearse&outcome=refused&limit=1', { cookie: await c.login('admin', c.adminPassword) }))
    expect(entry).toMatchObject({ actor: 'olga', target: 'main', outcome: expect.stringContaining('refused 409: Nothing to rehearse on') })
  })

  it('refuses with 409 a restore-test role that could escalate, with the SQL for one that cannot', async () => {
    const res = await rehearse(operator, 'unsafe')
    expect(res.status).toBe(409)
    const body = await json(res)
    expect(body.data.code).toBe('unsafe-restore-role')
    expect(body.message).toMatch(/is a superuser.*CREATE ROLE dbsafe_restore LOGIN CREATEDB/)
    expect(await json(await c.request('/api/jobs?target=unsafe&kind=migrations.rehearse', { cookie: viewer }))).toEqual([])
  })

  it('lets an operator rehearse on a copy of the newest backup (one at a time) and anyone read the result, the target untouched', async () => {
    writeFileSync(join(c.targets[0].dir, 'backups', 'db_backup_20250301_020000.dump'), pgDump(c.targets[0].database, ['-Fc']))
    const before = await targetState()
    const [first, second] = await Promise.all([rehearse(operator), rehearse(operator)])
    const [started, busy] = first.status === 202 ? [first, second] : [second, first]
    expect([started.status, busy.status]).toEqual([202, 409])
    expect((await json(busy)).message).toBe('A rehearsal is already running on Target main')
    const job = await finished((await json(started)).jobId)
    expect(job).toMatchObject({ kind: 'migrations.rehearse', status: 'succeeded', error: null, params: { backup: 'db_backup_20250301_020000.dump', migrations: ['001_things_note'] } })
    expect(job.log.map((l: { line: string }) => l.line).join('\n')).toMatch(/created scratch database[\s\S]*dropped scratch database/)

    const { rehearsal, drift } = await latest()
    expect(rehearsal).toMatchObject({ ok: true, server: 'restore-test', createdBy: 'olga', backup: { id: 'db_backup_20250301_020000.dump', status: 'unverified' } })
    const [m] = rehearsal.migrations
    expect(m).toMatchObject({ name: '001_things_note', status: 'ok', catchUp: false, durationMs: expect.any(Number) })
    expect(m.locks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'things', kind: 'table', modes: expect.arrayContaining(['ACCESS EXCLUSIVE']), rowEstimate: 5000 })]))
    expect(drift).toEqual({ changed: false, modified: [], added: [], noLongerPending: [] })
    expect(await targetState()).toEqual(before)
  })

  it('reports a failing migration with its line and error, fails the job, and leaves the target untouched', async () => {
    writeFileSync(join(migrationsDir(c.targets[0]), '002_things_colour.sql'), BAD)
    expect((await latest()).drift).toEqual({ changed: true, modified: [], added: ['002_things_colour'], noLongerPending: [] })
    const before = await targetState()
    const res = await rehearse(operator)
    expect(res.status).toBe(202)
    const job = await finished((await json(res)).jobId)
    expect(job.status).toBe('failed')
    expect(job.error).toBe('Rehearsal failed: 002_things_colour at line 4: column "missing_column" does not exist')

    const { rehearsal, drift } = await latest()
    expect(rehearsal.ok).toBe(false)
    expect(rehearsal.migrations.map((m: { name: string, status: string }) => [m.name, m.status])).toEqual([['001_things_note', 'ok'], ['002_things_colour', 'failed']])
    expect(rehearsal.migrations[1].error).toMatchObject({ line: 4, code: '42703', message: 'column "missing_column" does not exist' })
    expect(drift.changed).toBe(false)
    expect(await targetState()).toEqual(before)
    expect(before.columns).toEqual(['id', 'name'])
  })
})
