import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { targetConfigSchema } from '~server/config/schema'
import { closePools } from '~server/database/pools'
import { getJob } from '~server/jobs/store'
import { migrationPool } from '~server/database/target-pool'
import { startMigrationRun } from '~server/migrations/start-run'
import { migrationsView } from '~server/migrations/view'
import { cluster, createConsoleDatabase, createTestDatabase, emptyDatabase, queryRows } from '../support/db'
import { jobsFrom, waitForJob } from '../support/jobs'

// Files with their own BEGIN/COMMIT run as they say, on a real server: what a reviewer reads in the
// job and the tracking row must be what PostgreSQL did.
describe('migration files with their own transaction control', () => {
  let consoleDb: Awaited<ReturnType<typeof createTestDatabase>>
  let app: Awaited<ReturnType<typeof createTestDatabase>>
  let dir: string
  let target: ReturnType<typeof targetConfigSchema.parse>
  const write = (name: string, sql: string) => writeFileSync(join(dir, `${name}.sql`), sql)
  const run = async () => {
    const started = await startMigrationRun(consoleDb.pool, target, 'alice', { acknowledge: [] }, async () => new Date())
    if (!('jobId' in started)) throw new Error(JSON.stringify(started))
    const job = await waitForJob(jobsFrom((id) => getJob(consoleDb.pool, id)), started.jobId, { intervalMs: 50 })
    return { ...job, lines: job.log.map((l) => l.line) }
  }
  const migration = async (name: string) => (await migrationsView(migrationPool(target), target)).migrations.find((m) => m.name === name)!
  const tableExists = async (name: string) => (await app.pool.query('SELECT to_regclass($1) AS t', [name])).rows[0].t !== null
  const tracked = (name: string) => queryRows(app.url, 'SELECT applied_at IS NOT NULL AS applied, last_error FROM dbsafe_migrations WHERE name = $1', [name])

  beforeAll(async () => {
    consoleDb = await createConsoleDatabase('mig_tx_console')
    app = await createTestDatabase('mig_tx_app')
  })
  afterAll(async () => {
    await app.drop()
    await consoleDb.drop()
  })
  beforeEach(async () => {
    await emptyDatabase(app.pool)
    const root = mkdtempSync(join(tmpdir(), 'dbsafe-mig-tx-'))
    dir = join(root, 'migrations')
    mkdirSync(dir)
    writeFileSync(join(root, 'app.env'), `DB_HOST=127.0.0.1\nDB_PORT=${cluster().port}\nDB_NAME=${app.name}\nDB_USER=postgres\n`)
    target = targetConfigSchema.parse({
      id: 'main', label: 'Main', envFile: join(root, 'app.env'), migrationsDir: dir, backupsDir: root,
      migrationDatabaseUrl: app.url, lockTimeout: '500ms', statementTimeout: '2s',
    })
  })
  afterEach(async () => { await closePools() })

  it('applies a BEGIN … COMMIT file and records it once', async () => {
    write('001_accounts', 'BEGIN;\nCREATE TABLE accounts (id int PRIMARY KEY);\nINSERT INTO accounts VALUES (1), (2);\nCOMMIT;\n')
    const job = await run()
    expect(job.status).toBe('succeeded')
    expect(job.lines).toContain('    the file committed its transaction from line 1')
    expect(await queryRows(app.url, 'SELECT id FROM accounts ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }])
    expect(await tracked('001_accounts')).toEqual([{ applied: true, last_error: null }])
    expect((await migration('001_accounts')).status).toBe('applied')
  })

  it('keeps what the file committed before a later failure, says so, and runs again once fixed', async () => {
    const file = (dup: string) => `BEGIN;\nCREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY);\nINSERT INTO orders VALUES (1) ON CONFLICT DO NOTHING;\nCOMMIT;\n`
      + `BEGIN;\nINSERT INTO orders VALUES (2);\nINSERT INTO orders VALUES (${dup});\nCOMMIT;\n`
    write('002_orders', file('1'))
    const job = await run()
    expect(job.status).toBe('failed')
    const said = 'its open transaction from line 5 was rolled back; the statements before line 5 were committed by the file\'s own COMMIT and stay applied'
    expect(job.error).toBe(`002_orders at line 7: duplicate key value violates unique constraint "orders_pkey"; ${said}`)
    expect(job.lines.join('\n')).not.toMatch(/; rolled back, stopping here/)
    // Line 6's row went with the failed transaction; lines 2–3 were committed by the file.
    expect(await queryRows(app.url, 'SELECT id FROM orders ORDER BY id')).toEqual([{ id: 1 }])
    const failed = await migration('002_orders')
    expect(failed.status).toBe('failed')
    expect(failed.lastError).toContain(said)
    expect(await tracked('002_orders')).toEqual([{ applied: false, last_error: job.error }])

    write('002_orders', file('3'))
    const again = await run()
    expect(again.status).toBe('succeeded')
    expect(await queryRows(app.url, 'SELECT id FROM orders ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
    expect(await tracked('002_orders')).toEqual([{ applied: true, last_error: null }])
  })

  it('leaves undone what the file rolls back itself, and says so', async () => {
    write('003_scratch', 'BEGIN;\nCREATE TABLE scratch (id int);\nROLLBACK;\nCREATE TABLE kept (id int);\n')
    const job = await run()
    expect(job.status).toBe('succeeded')
    expect(job.lines).toContain('    the file rolled back its transaction from line 1: what it did there is undone')
    expect(await tableExists('scratch')).toBe(false)
    expect(await tableExists('kept')).toBe(true)
    expect((await migration('003_scratch')).status).toBe('applied')
  })

  it('follows SAVEPOINT and ROLLBACK TO inside the file\'s transaction', async () => {
    write('004_items', 'BEGIN;\nCREATE TABLE items (id int);\nINSERT INTO items VALUES (1);\nSAVEPOINT before_two;\nINSERT INTO items VALUES (2);\n'
    + 'ROLLBACK TO SAVEPOINT before_two;\nINSERT INTO items VALUES (3);\nRELEASE SAVEPOINT before_two;\nCOMMIT;\n')
    expect((await run()).status).toBe('succeeded')
    expect(await queryRows(app.url, 'SELECT id FROM items ORDER BY id')).toEqual([{ id: 1 }, { id: 3 }])
  })

  it('lets SET LOCAL rule inside the file\'s transaction, and dbsafe\'s timeouts rule again after its COMMIT', async () => {
    write('005_settings', 'CREATE TABLE seen (at text, lock_timeout text, statement_timeout text);\n'
    + 'BEGIN;\nSET LOCAL lock_timeout = \'50ms\';\nINSERT INTO seen VALUES (\'inside\', current_setting(\'lock_timeout\'), current_setting(\'statement_timeout\'));\nCOMMIT;\n'
    + 'INSERT INTO seen VALUES (\'after\', current_setting(\'lock_timeout\'), current_setting(\'statement_timeout\'));\n')
    expect((await run()).status).toBe('succeeded')
    expect(await queryRows(app.url, 'SELECT * FROM seen ORDER BY at DESC')).toEqual([
      { at: 'inside', lock_timeout: '50ms', statement_timeout: '2s' },
      { at: 'after', lock_timeout: '500ms', statement_timeout: '2s' },
    ])
  })

  it('cuts a lock wait after the file\'s COMMIT at the configured lock_timeout', async () => {
    await app.pool.query('CREATE TABLE orders (id int)')
    write('006_note', 'BEGIN;\nCREATE TABLE audit_a (id int);\nCOMMIT;\nBEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;\n')
    const blocker = new pg.Client(app.url)
    await blocker.connect()
    await blocker.query('BEGIN; LOCK TABLE orders IN ACCESS SHARE MODE')
    try {
      const started = Date.now()
      const job = await run()
      // Without dbsafe's lock_timeout the ALTER would wait for the blocker for ever (the job wait gives up at 20 s).
      expect(Date.now() - started).toBeLessThan(5000)
      expect(job.status).toBe('failed')
      expect(job.error).toBe('006_note at line 5: canceling statement due to lock timeout; its open transaction from line 4 was rolled back; '
        + 'the statements before line 4 were committed by the file\'s own COMMIT and stay applied')
    } finally {
      await blocker.query('ROLLBACK')
      await blocker.end()
    }
    expect(await tableExists('audit_a')).toBe(true)
    expect(await queryRows(app.url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders'")).toEqual([{ column_name: 'id' }])
  })

  it('cuts a statement after the file\'s COMMIT at the configured statement_timeout', async () => {
    write('007_slow', 'BEGIN;\nCREATE TABLE audit_b (id int);\nCOMMIT;\nSELECT pg_sleep(10);\n')
    const job = await run()
    expect(job.status).toBe('failed')
    expect(job.error).toBe('007_slow at line 4: canceling statement due to statement timeout; the statements before line 4 were committed by the file\'s own COMMIT and stay applied')
    expect(await tableExists('audit_b')).toBe(true)
  })

  it('refuses a file that would end inside its own transaction, running nothing', async () => {
    write('008_open', 'BEGIN;\nCREATE TABLE never (id int);\n')
    const started = await startMigrationRun(consoleDb.pool, target, 'alice', { acknowledge: [] }, async () => new Date())
    expect(started).toMatchObject({ refusal: { status: 409, code: 'transaction-control', message: expect.stringContaining('008_open line 1: BEGIN at line 1 is never followed by COMMIT') } })
    expect(await tableExists('never')).toBe(false)
  })
})
