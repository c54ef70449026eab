import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg, { escapeIdentifier } from 'pg'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { discoverMigrations, type MigrationFile } from '~server/migrations/discover'
import { lintSqlLive } from '~server/migrations/lint/live'
import { tableStatsFor } from '~server/migrations/lint/table-stats'
import { migrationStatus } from '~server/migrations/status'
import { TRACKING_TABLE_DDL } from '~server/migrations/tracking-table'
import { createTestDatabase, emptyDatabase } from '../support/db'

const TABLE = 'dbsafe_migrations'

describe('migration status', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  let dir: string
  beforeAll(async () => { db = await createTestDatabase('migrations_status') })
  afterAll(async () => { await db.drop() })
  // Every test starts on an empty database and its own migrations dir, and first builds the state it reads.
  beforeEach(async () => {
    await emptyDatabase(db.pool)
    dir = await mkdtemp(join(tmpdir(), 'dbsafe-status-'))
  })
  afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

  const write = (name: string, sql: string) => writeFile(join(dir, `${name}.sql`), sql)
  const files = async () => (await discoverMigrations(dir)).files
  // What the runner will record: run the file, then one tracking row.
  async function apply(f: MigrationFile, table = TABLE) {
    await db.pool.query(f.text)
    await db.pool.query(
      `INSERT INTO ${escapeIdentifier(table)} (name, checksum, applied_at, applied_by, duration_ms) VALUES ($1, $2, now(), current_user, 42)`,
      [f.name, f.checksum],
    )
  }
  const twoFiles = async () => {
    await write('001_users', 'CREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY, email text);')
    await write('002_orders', 'CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, user_id int);')
  }
  // The tracking table, with 001_users applied.
  async function usersApplied() {
    await db.pool.query(TRACKING_TABLE_DDL(TABLE))
    const [users] = await files()
    await apply(users)
    return users
  }
  const editUsers = () => write('001_users', 'CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, email text);')
  const laterFile = () => write('004_later', 'SELECT 1;')

  it('treats a missing tracking table as nothing applied yet', async () => {
    await twoFiles()
    const status = await migrationStatus(db.pool, TABLE, await files())
    expect(status.tracker).toMatchObject({ exists: false })
    expect(status.migrations.map((m) => [m.name, m.status, m.appliedAt])).toEqual([['001_users', 'pending', null], ['002_orders', 'pending', null]])
  })

  it('reports applied and pending migrations with who applied them, when and how long it took', async () => {
    await twoFiles()
    const users = await usersApplied()
    const status = await migrationStatus(db.pool, TABLE, await files())
    expect(status.tracker).toMatchObject({ exists: true })
    const [applied, pending] = status.migrations
    expect(applied).toMatchObject({ name: '001_users', status: 'applied', checksum: users.checksum, durationMs: 42 })
    const { rows } = await db.pool.query('SELECT current_user AS u')
    expect(applied.appliedBy).toBe(rows[0].u)
    expect(Date.now() - Date.parse(applied.appliedAt!)).toBeLessThan(60_000)
    expect(pending).toMatchObject({ name: '002_orders', status: 'pending', appliedAt: null })
  })

  it('reports a file edited after it was applied as drifted', async () => {
    await twoFiles()
    await usersApplied()
    await editUsers()
    const current = await files()
    const [row] = (await migrationStatus(db.pool, TABLE, current)).migrations
    expect(row).toMatchObject({ name: '001_users', status: 'drifted', checksum: current[0].checksum, durationMs: 42 })
    const { rows } = await db.pool.query(`SELECT checksum FROM ${TABLE} WHERE name = '001_users'`)
    expect(rows[0].checksum).not.toBe(current[0].checksum)
    // What ran is told apart from the file now, so the page can say which version to restore.
    expect(row.appliedChecksum).toBe(rows[0].checksum)
  })

  it('reports an applied migration whose file was deleted as missing, in run order', async () => {
    await twoFiles()
    await usersApplied()
    await editUsers()
    await write('003_audit', 'CREATE TABLE IF NOT EXISTS audit (at timestamptz);')
    await apply((await files()).find((f) => f.name === '003_audit')!)
    await laterFile()
    await unlink(join(dir, '003_audit.sql'))
    const status = await migrationStatus(db.pool, TABLE, await files())
    expect(status.migrations.map((m) => [m.name, m.status])).toEqual([
      ['001_users', 'drifted'], ['002_orders', 'pending'], ['003_audit', 'missing'], ['004_later', 'pending'],
    ])
    const missing = status.migrations[2]
    const { rows } = await db.pool.query(`SELECT checksum FROM ${TABLE} WHERE name = '003_audit'`)
    expect(missing.checksum).toBe(rows[0].checksum)
    expect(missing.appliedAt).not.toBeNull()
  })

  it('reports a migration whose last attempt failed, with the error', async () => {
    await twoFiles()
    await db.pool.query(TRACKING_TABLE_DDL(TABLE))
    const orders = (await files()).find((f) => f.name === '002_orders')!
    await db.pool.query(
      `INSERT INTO ${TABLE} (name, checksum, last_error, last_failed_at) VALUES ($1, $2, $3, now())`,
      [orders.name, orders.checksum, 'relation "users" does not exist'],
    )
    const row = (await migrationStatus(db.pool, TABLE, await files())).migrations.find((m) => m.name === '002_orders')!
    expect(row).toMatchObject({ status: 'failed', lastError: 'relation "users" does not exist', appliedAt: null })
    expect(row.lastFailedAt).toBeTruthy()
  })

  it('works with a tracking table made without the optional columns', async () => {
    await twoFiles()
    await laterFile()
    await db.pool.query(`CREATE TABLE legacy_migrations (name text PRIMARY KEY, checksum text, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text, duration_ms int)`)
    const current = await files()
    await db.pool.query(`INSERT INTO legacy_migrations (name, checksum, applied_by, duration_ms) VALUES ($1, $2, 'deploy', 7)`, [current[0].name, current[0].checksum])
    const status = await migrationStatus(db.pool, 'legacy_migrations', current)
    expect(status.migrations.map((m) => [m.name, m.status, m.appliedBy])).toEqual([
      ['001_users', 'applied', 'deploy'], ['002_orders', 'pending', null], ['004_later', 'pending', null],
    ])
    expect(status.migrations[0].lastError).toBeUndefined()
  })

  it('quotes a custom table name that needs it', async () => {
    await twoFiles()
    await laterFile()
    const name = 'Deploy "Log" 2025'
    await db.pool.query(TRACKING_TABLE_DDL(name))
    const current = await files()
    await apply(current.find((f) => f.name === '004_later')!, name)
    const status = await migrationStatus(db.pool, name, current)
    expect(status.tracker).toMatchObject({ exists: true })
    expect(status.migrations.map((m) => [m.name, m.status])).toEqual([['001_users', 'pending'], ['002_orders', 'pending'], ['004_later', 'applied']])
    expect((await migrationStatus(db.pool, 'deploy "log" 2025', current)).tracker).toMatchObject({ exists: false })
  })

  it('finds a schema-less name through the connection\'s search_path', async () => {
    await twoFiles()
    await db.pool.query('CREATE SCHEMA ops')
    const withOps = new pg.Pool({ connectionString: db.url, options: '-c search_path=ops,public', max: 1 })
    try {
      await withOps.query(TRACKING_TABLE_DDL('ops_migrations'))
      await withOps.query(`INSERT INTO ops_migrations (name, checksum, applied_at) VALUES ('001_users', 'x', now())`)
      const current = await files()
      expect((await migrationStatus(withOps, 'ops_migrations', current)).migrations[0].status).toBe('drifted')
      expect((await migrationStatus(db.pool, 'ops_migrations', current)).tracker).toMatchObject({ exists: false })
    } finally {
      await withOps.end()
    }
  })
})

describe('live table stats', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  beforeAll(async () => {
    db = await createTestDatabase('migrations_stats')
    await db.pool.query(`CREATE TABLE events (id bigint, payload text);
      INSERT INTO events SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g;
      CREATE SCHEMA app; CREATE TABLE app."Orders" (id int); INSERT INTO app."Orders" SELECT generate_series(1, 500);
      ANALYZE events; ANALYZE app."Orders";`)
  })
  afterAll(async () => { await db.drop() })

  it('returns the size and row estimate the catalog has, for plain, schema-qualified and mixed-case names', async () => {
    const stats = await tableStatsFor(db.pool, ['events', 'app.Orders', 'no_such_table'])
    const { rows } = await db.pool.query(`SELECT c.oid::regclass::text AS name, pg_total_relation_size(c.oid) AS size, c.reltuples
      FROM pg_class c WHERE c.oid IN ('events'::regclass, 'app."Orders"'::regclass) ORDER BY 1`)
    const expected = new Map(rows.map((r) => [r.name === 'events' ? 'events' : 'app.Orders', { sizeBytes: Number(r.size), rowEstimate: Math.round(r.reltuples) }]))
    expect(stats).toEqual(expected)
    expect(stats.get('events')!.rowEstimate).toBe(20000)
    expect(stats.get('events')!.sizeBytes).toBeGreaterThan(4_000_000)
  })

  it('names the live size and rows in a locking finding', async () => {
    const findings = await lintSqlLive(db.pool, 'CREATE INDEX IF NOT EXISTS events_id ON events (id);')
    const { rows } = await db.pool.query(`SELECT pg_total_relation_size('events') AS size`)
    const mb = (Number(rows[0].size) / 1024 ** 2).toFixed(1).replace(/\.0$/, '')
    expect(findings[0].message).toMatch(new RegExp(`^CREATE INDEX on events \\(${mb} MB, ~20k rows\\) blocks writes`))
  })
})
