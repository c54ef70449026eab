import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { targetConfigSchema } from '~server/config/schema'
import { closePools } from '~server/database/pools'
import { getJob } from '~server/jobs/store'
import { migrationPool } from '~server/database/target-pool'
import { MIGRATION_LOCK_KEY, MigrationBusyError, startMigrationRun, type StartRun } from '~server/migrations/start-run'
import { migrationsView } from '~server/migrations/view'
import { cluster, createConsoleDatabase, createTestDatabase, emptyDatabase } from '../support/db'
import { jobsFrom, waitForJob } from '../support/jobs'

const fresh = async () => new Date()
const stale = async () => new Date(Date.now() - 3 * 3600_000)
const ACCOUNTS = 'CREATE TABLE IF NOT EXISTS accounts (id int PRIMARY KEY, email text);\nINSERT INTO accounts VALUES (1, \'a@x\') ON CONFLICT DO NOTHING;\n'
const ORDERS = 'CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY);\nINSERT INTO orders VALUES (1), (2) ON CONFLICT DO NOTHING;\n'

describe('guarded migration runs on a real database', () => {
  let consoleDb: Awaited<ReturnType<typeof createTestDatabase>>
  let app: Awaited<ReturnType<typeof createTestDatabase>>
  let dir: string
  let target: ReturnType<typeof targetConfigSchema.parse>
  const write = (name: string, sql: string) => writeFileSync(join(dir, `${name}.sql`), sql)
  const start = (req: Partial<StartRun> = {}, backup = fresh) => startMigrationRun(consoleDb.pool, target, 'alice', { acknowledge: [], ...req }, backup)
  const finished = (jobId: number) => waitForJob(jobsFrom((id) => getJob(consoleDb.pool, id)), jobId, { intervalMs: 50 })
  const status = async () => Object.fromEntries((await migrationsView(migrationPool(target), target)).migrations.map((m) => [m.name, m.status]))
  const tableExists = async (name: string) => (await app.pool.query('SELECT to_regclass($1) AS t', [name])).rows[0].t !== null
  // What a test builds on, applied by a run as an earlier deploy would have left it.
  async function applied(name: string, sql: string) {
    write(name, sql)
    const run = await start()
    if (!('jobId' in run)) throw new Error(`could not apply ${name}: ${JSON.stringify(run)}`)
    const job = await finished(run.jobId)
    if (job.status !== 'succeeded') throw new Error(`could not apply ${name}: ${job.error}`)
    // The run lets go of the target's migration lock a moment after its job reads succeeded.
    await vi.waitFor(async () => {
      const client = await app.pool.connect()
      try {
        const { rows } = await client.query('SELECT pg_try_advisory_lock($1) AS free', [MIGRATION_LOCK_KEY])
        if (!rows[0].free) throw new Error(`the run that applied ${name} still holds the migration lock`)
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      } finally { client.release() }
    }, { timeout: 5000, interval: 50 })
  }

  beforeAll(async () => {
    consoleDb = await createConsoleDatabase('mig_console')
    app = await createTestDatabase('mig_app')
  })
  afterAll(async () => {
    await app.drop()
    await consoleDb.drop()
  })
  // Every test starts on an empty app database and its own migrations dir.
  beforeEach(async () => {
    await emptyDatabase(app.pool)
    const root = mkdtempSync(join(tmpdir(), 'dbsafe-mig-'))
    dir = join(root, 'migrations')
    mkdirSync(dir)
    writeFileSync(join(root, 'app.env'), `DB_HOST=127.0.0.1\nDB_PORT=${cluster().port}\nDB_NAME=${app.name}\nDB_USER=postgres\n`)
    target = targetConfigSchema.parse({
      id: 'main', label: 'Main', envFile: join(root, 'app.env'), migrationsDir: dir, backupsDir: root,
      migrationDatabaseUrl: app.url, lockTimeout: '500ms',
    })
  })
  afterEach(async () => { await closePools() })

  it('refuses without a fresh backup, and runs with a recorded override reason', async () => {
    write('001_accounts', ACCOUNTS)
    const refused = await start({}, stale)
    expect(refused).toMatchObject({ refusal: { status: 409, code: 'no-fresh-backup' } })
    expect(await status()).toEqual({ '001_accounts': 'pending' })
    const ok = await start({ override: { reason: 'fresh database, nothing to lose' } }, stale)
    if (!('jobId' in ok)) throw new Error(JSON.stringify(ok))
    const job = await finished(ok.jobId)
    expect(job.status).toBe('succeeded')
    expect(job.params).toMatchObject({ migrations: ['001_accounts'], override: 'fresh database, nothing to lose' })
    expect(await status()).toEqual({ '001_accounts': 'applied' })
    const { rows } = await app.pool.query('SELECT applied_by, duration_ms FROM dbsafe_migrations')
    expect(rows[0].applied_by).toBe('alice')
  })

  it('refuses a destructive migration until each finding is acknowledged', async () => {
    await applied('001_accounts', ACCOUNTS)
    write('002_drop_email', 'ALTER TABLE accounts DROP COLUMN email;\n-- the old sessions table\nDROP TABLE IF EXISTS sessions;\n')
    const refused = await start()
    if (!('refusal' in refused)) throw new Error('expected a refusal')
    expect(refused.refusal.code).toBe('unacknowledged')
    expect((refused.refusal.data!.findings as { acknowledgeAs: string }[]).map((f) => f.acknowledgeAs).sort()).toEqual(['002_drop_email:drop-column', '002_drop_email:drop-table'])
    const partly = await start({ acknowledge: ['002_drop_email:drop-column'] })
    expect(partly).toMatchObject({ refusal: { code: 'unacknowledged' } })
    const ok = await start({ acknowledge: ['002_drop_email:drop-column', '002_drop_email:drop-table'] })
    if (!('jobId' in ok)) throw new Error(JSON.stringify(ok))
    expect((await finished(ok.jobId)).status).toBe('succeeded')
    const cols = await app.pool.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'accounts'")
    expect(cols.rows.map((r) => r.column_name)).toEqual(['id'])
  })

  it('refuses a DROP COLUMN inside a DO block until acknowledged, naming its line in the file', async () => {
    await applied('001_accounts', ACCOUNTS)
    write('002_do_drop', [
      'DO $$',
      'BEGIN',
      "  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'email') THEN",
      '    ALTER TABLE accounts DROP COLUMN email;',
      '  END IF;',
      'END',
      '$$;',
    ].join('\n'))
    const refused = await start()
    if (!('refusal' in refused)) throw new Error('expected a refusal')
    expect(refused.refusal.code).toBe('unacknowledged')
    expect(refused.refusal.data!.findings).toEqual([expect.objectContaining({ acknowledgeAs: '002_do_drop:drop-column', line: 4 })])
    expect(await status()).toEqual({ '001_accounts': 'applied', '002_do_drop': 'pending' })
    const ok = await start({ acknowledge: ['002_do_drop:drop-column'] })
    if (!('jobId' in ok)) throw new Error(JSON.stringify(ok))
    expect((await finished(ok.jobId)).status).toBe('succeeded')
    const cols = await app.pool.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'accounts'")
    expect(cols.rows.map((r) => r.column_name)).toEqual(['id'])
  })

  it('honours an inline dbsafe:allow comment as the acknowledgement', async () => {
    write('003_truncate_cache', '-- dbsafe:allow truncate cache is rebuilt on start\nCREATE TABLE IF NOT EXISTS cache (k text);\n-- dbsafe:allow truncate cache is rebuilt on start\nTRUNCATE cache;\n')
    const ok = await start()
    if (!('jobId' in ok)) throw new Error(JSON.stringify(ok))
    expect((await finished(ok.jobId)).status).toBe('succeeded')
  })

  it('stops at the first failure with nothing of it left, and records the failure', async () => {
    write('004_orders', 'CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY);\nINSERT INTO orders VALUES (1), (1);\n')
    write('005_after', 'CREATE TABLE IF NOT EXISTS after_orders (id int);\n')
    const ok = await start()
    if (!('jobId' in ok)) throw new Error(JSON.stringify(ok))
    const job = await finished(ok.jobId)
    expect(job.status).toBe('failed')
    expect(job.error).toMatch(/^004_orders at line 2: duplicate key value/)
    expect(await tableExists('orders')).toBe(false)
    expect(await tableExists('after_orders')).toBe(false)
    const s = await status()
    expect([s['004_orders'], s['005_after']]).toEqual(['failed', 'pending'])
    const view = await migrationsView(migrationPool(target), target)
    expect(view.migrations.find((m) => m.name === '004_orders')!.lastError).toMatch(/duplicate key/)
    // Fixed file: the failed migration runs again and clears its error.
    write('004_orders', ORDERS)
    const again = await start()
    if (!('jobId' in again)) throw new Error(JSON.stringify(again))
    expect((await finished(again.jobId)).status).toBe('succeeded')
    expect(await status()).toMatchObject({ '004_orders': 'applied', '005_after': 'applied' })
  })

  it('refuses to run anything while an applied file has drifted', async () => {
    await applied('001_accounts', ACCOUNTS)
    write('001_accounts', 'CREATE TABLE IF NOT EXISTS accounts (id int PRIMARY KEY, email text, extra int);\n')
    write('006_next', 'CREATE TABLE IF NOT EXISTS next_one (id int);\n')
    expect(await start()).toMatchObject({ refusal: { status: 409, code: 'drift', message: expect.stringContaining('001_accounts is drifted') } })
  })

  it('refuses a migration that does not parse, and up-to a name that is not pending', async () => {
    await applied('001_accounts', ACCOUNTS)
    write('007_typo', 'CREAT TABLE oops (id int);\n')
    expect(await start()).toMatchObject({ refusal: { code: 'parse-error' } })
    expect(await start({ upTo: '001_accounts' })).toMatchObject({ refusal: { status: 400, code: 'up-to' } })
  })

  it('runs CREATE INDEX CONCURRENTLY alone outside a transaction, and refuses it mixed with others', async () => {
    await applied('004_orders', ORDERS)
    write('008_idx', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_id_idx ON orders (id);\n')
    write('009_mixed', 'CREATE TABLE IF NOT EXISTS m (id int);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS m_idx ON m (id);\n')
    expect(await start()).toMatchObject({ refusal: { code: 'mixed-transaction' } })
    const ok = await start({ upTo: '008_idx' })
    if (!('jobId' in ok)) throw new Error(JSON.stringify(ok))
    expect((await finished(ok.jobId)).status).toBe('succeeded')
    expect(await tableExists('orders_id_idx')).toBe(true)
  })

  it('gives up on a lock it cannot get within lock_timeout, leaving nothing behind', async () => {
    await applied('004_orders', ORDERS)
    write('010_locked', 'CREATE TABLE IF NOT EXISTS audit_trail (id int);\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;\n')
    const blocker = new pg.Client(app.url)
    await blocker.connect()
    await blocker.query('BEGIN; LOCK TABLE orders IN ACCESS SHARE MODE')
    const ok = await start()
    if (!('jobId' in ok)) throw new Error(JSON.stringify(ok))
    const job = await finished(ok.jobId)
    await blocker.query('ROLLBACK')
    await blocker.end()
    expect(job.status).toBe('failed')
    expect(job.error).toMatch(/010_locked at line 2: canceling statement due to lock timeout/)
    expect(await tableExists('audit_trail')).toBe(false)
  })

  it('runs once: a concurrent second run gets busy, a repeated idempotency key gets the same job', async () => {
    write('011_slow', 'CREATE TABLE IF NOT EXISTS slow (id int);\nSELECT pg_sleep(0.8);\n')
    const first = await start({ idempotencyKey: 'click-123456' })
    await expect(start()).rejects.toBeInstanceOf(MigrationBusyError)
    const repeat = await start({ idempotencyKey: 'click-123456' })
    if (!('jobId' in first) || !('jobId' in repeat)) throw new Error('expected jobs')
    expect(repeat).toEqual({ jobId: first.jobId, created: false })
    expect((await finished(first.jobId)).status).toBe('succeeded')
    const { rows } = await consoleDb.pool.query("SELECT count(*)::int AS n FROM jobs WHERE params->'migrations' ? '011_slow'")
    expect(rows[0].n).toBe(1)
  })
})
