// Runs through the app's own migrate command: the demo app (TypeScript modules, its non-transactional
// migrate.ts, ids in a JSON array in a config row) on a real database, behind the guards of a dbsafe run.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAppTarget } from '~scripts/demo/app-target'
import { targetConfigSchema, type TargetConfig } from '~server/config/schema'
import { closePools } from '~server/database/pools'
import { getJob } from '~server/jobs/store'
import { migrationPool } from '~server/database/target-pool'
import { MigrationBusyError, startMigrationRun, type StartRun } from '~server/migrations/start-run'
import { migrationsView } from '~server/migrations/view'
import { targetOverview } from '~server/targets/overview'
import { cluster, createConsoleDatabase, queryRows } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'
import { jobsFrom, jobsOverHttp, waitForJob } from '../support/jobs'

const fresh = async () => new Date()
const stale = async () => new Date(Date.now() - 3 * 3600_000)
const ACKS = ['004_drop_legacy_flags:drop-column']
let seq = 0

describe("guarded runs through the app's own migrate command", () => {
  let consoleDb: Awaited<ReturnType<typeof createConsoleDatabase>>
  let target: TargetConfig
  let database: string
  let password: string
  const start = (req: Partial<StartRun> = {}, backup = fresh, t = target) => startMigrationRun(consoleDb.pool, t, 'alice', { acknowledge: [], ...req }, backup)
  const finished = (jobId: number) => waitForJob(jobsFrom((id) => getJob(consoleDb.pool, id)), jobId, { intervalMs: 100, timeoutMs: 60_000 })
  const view = (t = target) => migrationsView(migrationPool(t), t)
  const statuses = async (t = target) => Object.fromEntries((await view(t)).migrations.map((m) => [m.id ?? m.name, m.status]))
  const appliedIds = async () => (await query(`SELECT config->'migrations_run' AS ids FROM crearis_config WHERE id = 1`))[0].ids
  async function query(sql: string) {
    const client = new pg.Client(cluster().urlFor(database))
    await client.connect()
    try { return (await client.query(sql)).rows } finally { await client.end() }
  }

  // Each test gets the demo app as the demo builds it: 001–003 applied by its own command, 004 and 005 pending.
  beforeEach(async () => {
    consoleDb ??= await createConsoleDatabase('cmd_console')
    const name = `cmd_app_${process.pid}_${++seq}`
    const admin = new pg.Client(cluster().adminUrl)
    await admin.connect()
    const made = await createAppTarget(admin, mkdtempSync(join(tmpdir(), 'dbsafe-cmd-')), { id: 'app', label: 'App', database: name, appRole: name, port: cluster().port })
    await admin.end()
    database = name
    password = /DB_PASSWORD=(.*)/.exec(readFileSync(made.envFile, 'utf8'))![1]
    target = targetConfigSchema.parse(made.config)
  })
  afterEach(async () => {
    await closePools()
    const admin = new pg.Client(cluster().adminUrl)
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await admin.query(`DROP ROLE IF EXISTS ${database}`)
    await admin.end()
  })
  afterAll(async () => { await consoleDb?.drop() })

  it('reads the app\'s tracker: module ids, not file names; the template ignored; nothing applied by reading', async () => {
    const v = await view()
    expect(v.tracker).toEqual({ kind: 'query', readable: true, exists: true })
    expect(v.migrations.map((m) => [m.id ?? m.name, m.status])).toEqual([
      ['001_config_table', 'applied'], ['002_projects_events', 'applied'], ['003_event_registrations', 'applied'],
      ['004_drop_legacy_flags', 'pending'], ['005_unique_registrations', 'pending'],
    ])
    expect(v.migrations[0]).toMatchObject({ name: '001_init_schema', id: '001_config_table', file: '001_init_schema.ts' })
    expect(v.ignored).toContainEqual({ path: '000_template.ts', reason: 'migrationsIgnore' })
    expect(v.runner).toMatchObject({ via: 'command', available: true, upTo: true })
  })

  it('is read-only without migrateCommand, refuses an unreadable tracker, and never guesses "pending"', async () => {
    const readOnly = targetConfigSchema.parse({ ...target, migrateCommand: undefined })
    expect((await view(readOnly)).runner).toMatchObject({ via: 'none', available: false })
    expect(await start({ acknowledge: ACKS }, fresh, readOnly)).toMatchObject({ refusal: { status: 409, code: 'read-only-tracker' } })

    const wrongQuery = targetConfigSchema.parse({ ...target, migrationsTracker: { query: 'SELECT id FROM app_migrations ORDER BY id' } })
    const v = await view(wrongQuery)
    expect(v.tracker).toMatchObject({ readable: false, code: 'missing' })
    expect(v.tracker.readable ? '' : v.tracker.cause).toContain('app_migrations')
    expect(new Set(v.migrations.map((m) => m.status))).toEqual(new Set(['unknown']))
    expect(await start({ acknowledge: ACKS }, fresh, wrongQuery)).toMatchObject({ refusal: { status: 409, code: 'tracker-unreadable' } })
    expect(await appliedIds()).toHaveLength(3)
  })

  it("warns on the overview when the app's own role cannot read its tracker: such an app may rerun everything on boot", async () => {
    await query(`REVOKE SELECT ON crearis_config FROM ${database}`)
    const overview = await targetOverview(consoleDb.pool, target)
    const m = overview.migrations
    if (!m || 'error' in m) throw new Error(JSON.stringify(m))
    expect(m.tracker).toMatchObject({ readable: false, code: 'denied' })
    expect(m.unknown).toBe(5)
    expect(m.pending).toBe(0)
    expect(m.appCannotReadTracker).toContain('permission denied')
    expect(m.appCannotReadTracker).toContain('run every migration again')
  })

  it('refuses like a dbsafe run: unacknowledged destructive `up` (never `down`), no fresh backup, upTo the command cannot take', async () => {
    const unacked = await start()
    expect(unacked).toMatchObject({ refusal: { status: 409, code: 'unacknowledged' } })
    const findings = ('refusal' in unacked ? unacked.refusal.data?.findings : []) as { acknowledgeAs: string }[]
    // The `${table}` loop's DROP COLUMN gates the run; down()'s DROP TABLE runs only on rollback.
    expect(new Set(findings.map((f) => f.acknowledgeAs))).toEqual(new Set(ACKS))

    expect(await start({ acknowledge: ACKS }, stale)).toMatchObject({ refusal: { status: 409, code: 'no-fresh-backup' } })
    const noUpTo = targetConfigSchema.parse({ ...target, migrateCommand: { ...target.migrateCommand, upToArgs: undefined } })
    expect(await start({ acknowledge: ACKS, upTo: '004_drop_legacy_flags' }, fresh, noUpTo)).toMatchObject({ refusal: { status: 400, code: 'up-to' } })
    expect(await appliedIds()).toHaveLength(3)
  })

  it('runs up to one migration through upToArgs and says what the tracker gained', async () => {
    const run = await start({ acknowledge: ACKS, upTo: '004_drop_legacy_flags' })
    if (!('jobId' in run)) throw new Error(JSON.stringify(run))
    const job = await finished(run.jobId)
    expect(job.status, job.error ?? '').toBe('succeeded')
    expect(job.result).toMatchObject({ applied: ['004_drop_legacy_flags'], exitCode: 0 })
    expect(job.params).toMatchObject({ via: 'command', migrations: ['004_drop_legacy_flags'] })
    expect(await statuses()).toMatchObject({ '004_drop_legacy_flags': 'applied', '005_unique_registrations': 'pending' })
  })

  it('streams the command\'s output, reports what it applied before failing, keeps the password out, and starts one run at a time', async () => {
    const [a, b] = await Promise.allSettled([start({ acknowledge: ACKS, override: { reason: 'demo data, nothing to lose' } }, stale),
      start({ acknowledge: ACKS, override: { reason: 'demo data, nothing to lose' } }, stale)])
    const busy = [a, b].filter((r) => r.status === 'rejected')
    expect(busy).toHaveLength(1)
    expect((busy[0] as PromiseRejectedResult).reason).toBeInstanceOf(MigrationBusyError)
    const run = [a, b].find((r) => r.status === 'fulfilled')!.value
    if (!('jobId' in run)) throw new Error(JSON.stringify(run))
    const job = await finished(run.jobId)
    expect(job.status).toBe('failed')
    expect(job.error).toMatch(/^applied 004_drop_legacy_flags before failing in 005_unique_registrations: .*registrations_event_email_key/)
    expect(job.result).toEqual({ applied: ['004_drop_legacy_flags'], failedIn: '005_unique_registrations', exitCode: 1 })
    const log = job.log.map((l) => l.line).join('\n')
    expect(log).toContain('Running migration 004_drop_legacy_flags…')
    expect(log).toContain('stderr: ✗ 005_unique_registrations failed')
    expect(log).not.toContain(password)
    // The app's runner is not transactional: 005's first statement stayed, its tracker entry did not.
    expect(await appliedIds()).toEqual(['001_config_table', '002_projects_events', '003_event_registrations', '004_drop_legacy_flags'])
    expect(await query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'registrations' AND column_name = 'checked_in_at'`)).toHaveLength(1)
    expect(await statuses()).toMatchObject({ '004_drop_legacy_flags': 'applied', '005_unique_registrations': 'pending' })
  })
})

describe("the app's command over HTTP: guarded and audited like a dbsafe run", () => {
  let c: ConsoleFixture
  let admin: string
  let database: string
  beforeAll(async () => {
    database = `cmd_http_${process.pid}`
    const admin_ = new pg.Client(cluster().adminUrl)
    await admin_.connect()
    const made = await createAppTarget(admin_, mkdtempSync(join(tmpdir(), 'dbsafe-cmd-http-')), { id: 'app', label: 'App', database, appRole: database, port: cluster().port })
    await admin_.end()
    c = await startConsoleFixture({ extraTargets: [made.config] })
    admin = await c.login('admin', c.adminPassword)
  })
  afterAll(async () => {
    await c?.cleanup()
    await queryRows(cluster().adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await queryRows(cluster().adminUrl, `DROP ROLE IF EXISTS ${database}`)
  })
  const run = (body: unknown) => c.request('/api/targets/app/migrations/run', { method: 'POST', cookie: admin, body })

  it('refuses a wrong confirmation (400) and an unacknowledged destructive up (409 naming it), runs with both, and audits every attempt', async () => {
    const list = await json(await c.request('/api/targets/app/migrations', { cookie: admin }))
    expect(list.runner).toMatchObject({ via: 'command', available: true })
    const wrong = await run({ confirm: 'production' })
    expect(wrong.status).toBe(400)
    const unacked = await run({ confirm: 'app', override: { reason: 'demo data, nothing to lose' } })
    expect(unacked.status).toBe(409)
    expect((await json(unacked)).data.findings.map((f: { acknowledgeAs: string }) => f.acknowledgeAs)).toEqual(ACKS)
    const ok = await run({ confirm: 'app', acknowledge: ACKS, override: { reason: 'demo data, nothing to lose' }, upTo: '004_drop_legacy_flags' })
    expect(ok.status).toBe(202)
    const job = await waitForJob(jobsOverHttp((path) => c.request(path, { cookie: admin })), (await json(ok)).jobId, { timeoutMs: 60_000 })
    expect(job.status).toBe('succeeded')
    const rows = await queryRows(c.consoleDatabaseUrl, "SELECT outcome, params FROM audit_log WHERE action = 'migrations.run' AND target = 'app' ORDER BY id")
    expect(rows.map((r) => r.outcome.split(':')[0])).toEqual(['refused 400', 'refused 409', 'ok'])
    expect(rows[2].params).toMatchObject({ upTo: '004_drop_legacy_flags', acknowledge: ACKS, overrideReason: 'demo data, nothing to lose' })
  })
})
