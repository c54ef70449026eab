import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256File } from '~server/backups/hash'
import { manifestPath } from '~server/backups/manifest'
import { takeBackup } from '~server/backups/take'
import { verifyBackup } from '~server/backups/verify'
import { targetConfigSchema, type TargetConfig } from '~server/config/schema'
import { applyMigrations } from '~server/migrations/apply'
import { discoverMigrations, sha256 } from '~server/migrations/discover'
import { splitStatements } from '~server/migrations/lint/statements'
import { RehearsalRefusedError } from '~server/migrations/rehearsal-backup'
import { filesChangedSince, latestRehearsal } from '~server/migrations/rehearsal-store'
import { rehearseMigrations } from '~server/migrations/rehearse'
import { migrationPool } from '~server/database/target-pool'
import { migrationsView } from '~server/migrations/view'
import { cluster, createConsoleDatabase, createRestoreRole, pgDump } from '../support/db'
import { createTargetFixture } from '../support/fixture'

const quiet = { log: () => {}, progress: () => {} }
const THINGS = 20_000
const ORDERS = 50_000
const INDEX_THINGS = 'CREATE INDEX things_name_idx ON things (name);\n'
const ALTER_ORDERS = 'ALTER TABLE orders ADD COLUMN note text;\n\nALTER TABLE orders ALTER COLUMN amount TYPE numeric(12,2);\n'

describe('rehearsing pending migrations on a restored copy', () => {
  let fx: Awaited<ReturnType<typeof createTargetFixture>>
  let consoleDb: Awaited<ReturnType<typeof createConsoleDatabase>>
  let restoreRole: Awaited<ReturnType<typeof createRestoreRole>>
  let live: pg.Pool
  let target: TargetConfig
  let migrations: string
  const write = (name: string, sql: string) => writeFileSync(join(migrations, `${name}.sql`), sql)
  const config = (backupsDir: string) => targetConfigSchema.parse({
    id: 'main', label: 'Main', envFile: fx.envFile, migrationsDir: migrations, backupsDir,
    migrationDatabaseUrl: cluster().urlFor(fx.database), restoreTestUrl: restoreRole.url,
  })

  // Runs a rehearsal and returns it with the scratch database it announced.
  async function rehearse(t: TargetConfig = target) {
    const lines: string[] = []
    const result = await rehearseMigrations(consoleDb.pool, t, { who: 'alice' }, { log: (l) => { lines.push(l) }, progress: () => {} })
    return { result, scratch: lines.map((l) => /^created scratch database (\S+)$/.exec(l)?.[1]).find(Boolean) ?? null, lines }
  }
  const databaseExists = async (name: string) => (await live.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1
  // What a rehearsal must never change on the real target: its tracking table and its schema.
  const targetState = async () => (await live.query(`SELECT
      (SELECT json_agg(json_build_object('name', name, 'checksum', checksum, 'applied_at', applied_at, 'last_error', last_error) ORDER BY name) FROM dbsafe_migrations) AS tracking,
      (SELECT json_agg(table_name || '.' || column_name || ' ' || data_type || coalesce('(' || numeric_precision || ',' || numeric_scale || ')', '') ORDER BY table_name, column_name)
         FROM information_schema.columns WHERE table_schema = 'public') AS columns,
      (SELECT json_agg(indexname ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public') AS indexes`)).rows[0]

  beforeAll(async () => {
    fx = await createTargetFixture('rehearse')
    restoreRole = await createRestoreRole()
    consoleDb = await createConsoleDatabase('rehearse_console')
    live = new pg.Pool({ connectionString: cluster().urlFor(fx.database), max: 2 })
    migrations = join(fx.dir, 'migrations')
    await live.query(`INSERT INTO things (name) SELECT 'thing ' || g FROM generate_series(1, ${THINGS}) g`)
    // A backup from before 001 was applied, kept aside for the catch-up case.
    mkdirSync(join(fx.dir, 'backups-old'))
    await takeBackup(config(join(fx.dir, 'backups-old')), {}, quiet, 'alice')

    write('001_orders', `CREATE TABLE orders (id bigint PRIMARY KEY, thing_id int, amount numeric);\nINSERT INTO orders SELECT g, g % ${THINGS} + 1, g * 0.5 FROM generate_series(1, ${ORDERS}) g;\n`)
    const [file] = (await discoverMigrations(migrations)).files
    const client = await live.connect()
    try {
      await applyMigrations(client, [{ name: file.name, checksum: file.checksum, statements: await splitStatements(file.text) }],
        { table: 'dbsafe_migrations', actor: 'deploy', lockTimeout: '5s', statementTimeout: '1min' }, quiet)
    } finally {
      client.release()
    }
    writeFileSync(join(fx.dir, 'backups', 'db_backup_20250301_020000.dump'), pgDump(fx.database, ['-Fc']))
    target = config(join(fx.dir, 'backups'))
  })
  afterAll(async () => {
    await live.end()
    await fx.drop()
    await consoleDb.drop()
    await restoreRole.drop()
  })

  it('applies two pending migrations on a copy of the newest backup, with durations and the locks they took, leaving the target untouched', async () => {
    write('002_things_name_index', INDEX_THINGS)
    write('003_orders_note', ALTER_ORDERS)
    const before = await targetState()
    const started = Date.now()
    const { result, scratch } = await rehearse()
    console.log(`rehearsal of 2 migrations over a backup of ${THINGS + ORDERS} rows: ${Date.now() - started} ms (restore ${result.restoreMs} ms, `
      + `${result.migrations.map((m) => `${m.name} ${m.durationMs} ms`).join(', ')})`)

    const dump = join(fx.dir, 'backups', 'db_backup_20250301_020000.dump')
    expect(result).toMatchObject({ target: 'main', ok: true, server: 'restore-test', createdBy: 'alice',
      backup: { id: 'db_backup_20250301_020000.dump', status: 'unverified', format: 'custom', sha256: await sha256File(dump) } })
    expect(result.migrations.map((m) => [m.name, m.status, m.catchUp, m.checksum])).toEqual([
      ['002_things_name_index', 'ok', false, sha256(INDEX_THINGS)],
      ['003_orders_note', 'ok', false, sha256(ALTER_ORDERS)],
    ])
    const [index, alter] = result.migrations
    for (const m of result.migrations) expect(m.durationMs).toBeGreaterThanOrEqual(0)
    expect(index.locks).toEqual(expect.arrayContaining([
      expect.objectContaining({ schema: 'public', name: 'things', kind: 'table', modes: ['SHARE'], rowEstimate: THINGS }),
      expect.objectContaining({ name: 'things_name_idx', kind: 'index', modes: ['ACCESS EXCLUSIVE'], createdHere: true }),
    ]))
    expect(index.locks!.find((l) => l.name === 'orders')).toBeUndefined()
    // The type change rewrites the table under ACCESS EXCLUSIVE and rebuilds its primary key.
    expect(alter.locks).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'orders', kind: 'table', modes: ['ACCESS EXCLUSIVE', 'SHARE'], rowEstimate: ORDERS }),
      expect.objectContaining({ name: 'orders_pkey', kind: 'index', modes: ['ACCESS EXCLUSIVE'] }),
    ]))
    expect(alter.locks!.find((l) => l.name === 'orders')!.sizeBytes).toBeGreaterThan(1_000_000)
    expect(alter.locks!.find((l) => l.name === 'things')).toBeUndefined()

    expect(await targetState()).toEqual(before)
    expect(before.indexes).not.toContain('things_name_idx')
    expect(await databaseExists(scratch!)).toBe(false)
    expect(await latestRehearsal(consoleDb.pool, 'main')).toEqual(result)
  })

  it('reports a failing migration with its line and PostgreSQL\'s error, runs nothing after it, and leaves the target untouched', async () => {
    write('003_orders_note', 'ALTER TABLE orders ADD COLUMN note text;\n\nUPDATE orders\n   SET note = missing_column;\n')
    write('004_later', 'CREATE TABLE later (id int);\n')
    const before = await targetState()
    const { result, scratch } = await rehearse()
    expect(result.ok).toBe(false)
    expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
      ['002_things_name_index', 'ok'], ['003_orders_note', 'failed'], ['004_later', 'not-run'],
    ])
    expect(result.migrations[1]).toMatchObject({
      locks: null, durationMs: expect.any(Number),
      error: { line: 4, code: '42703', message: 'column "missing_column" does not exist', statement: 'UPDATE orders\n   SET note = missing_column' },
    })
    expect(result.migrations[2]).toMatchObject({ durationMs: null, locks: null, note: 'an earlier migration failed' })
    expect(await targetState()).toEqual(before)
    expect(await databaseExists(scratch!)).toBe(false)
  })

  it('keeps the latest rehearsal and tells when a pending file changed since', async () => {
    const latest = (await latestRehearsal(consoleDb.pool, 'main'))!
    expect(latest.migrations.map((m) => m.status)).toEqual(['ok', 'failed', 'not-run'])
    const pending = async () => (await migrationsView(migrationPool(target), target)).migrations.filter((m) => m.status === 'pending')
    expect(filesChangedSince(latest, await pending())).toEqual({ changed: false, modified: [], added: [], noLongerPending: [] })
    write('003_orders_note', ALTER_ORDERS)
    write('005_more', 'SELECT 1;\n')
    expect(filesChangedSince(latest, await pending())).toEqual({ changed: true, modified: ['003_orders_note'], added: ['005_more'], noLongerPending: [] })
    rmSync(join(migrations, '005_more.sql'))
    rmSync(join(migrations, '004_later.sql'))
  })

  it('refuses with the reason when no backup is usable, before creating anything', async () => {
    const dir = join(fx.dir, 'backups-broken')
    mkdirSync(dir)
    const whole = pgDump(fx.database, ['-Fc'])
    writeFileSync(join(dir, 'db_backup_20250305_020000.dump'), whole.subarray(0, Math.floor(whole.length / 2)))
    utimesSync(join(dir, 'db_backup_20250305_020000.dump'), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000))
    writeFileSync(join(dir, 'README'), 'not a dump\n')
    const lines: string[] = []
    const attempt = rehearseMigrations(consoleDb.pool, config(dir), {}, { log: (l) => { lines.push(l) }, progress: () => {} })
    await expect(attempt).rejects.toThrow(RehearsalRefusedError)
    await expect(attempt).rejects.toThrow(/holds 1 backup\(s\), none usable: db_backup_20250305_020000\.dump is corrupt/)
    expect(lines).toEqual([])
    const empty = join(fx.dir, 'backups-empty')
    mkdirSync(empty)
    await expect(rehearse(config(empty))).rejects.toThrow(/holds no backups\. Take a backup first/)
  })

  it('prefers a verified backup to a newer unverified one, catching up on what the target applied since it', async () => {
    const dir = join(fx.dir, 'backups-old')
    const old = config(dir)
    const [verifiedId] = readdirSync(dir).filter((f) => f.endsWith('.dump'))
    expect((await verifyBackup(consoleDb.pool, old, verifiedId, { restoreTestUrl: restoreRole.url }, quiet)).ok).toBe(true)
    copyFileSync(join(fx.dir, 'backups', 'db_backup_20250301_020000.dump'), join(dir, `db_backup_${stamp(new Date(Date.now() + 86_400_000))}.dump`))
    const { result } = await rehearse(old)
    expect(result.backup).toMatchObject({ id: verifiedId, status: 'verified' })
    expect(result.backup.sha256).toBe(JSON.parse(readFileSync(manifestPath(join(dir, verifiedId)), 'utf8')).sha256)
    expect(result.migrations.map((m) => [m.name, m.status, m.catchUp])).toEqual([
      ['001_orders', 'ok', true], ['002_things_name_index', 'ok', false], ['003_orders_note', 'ok', false],
    ])
    expect(result.ok).toBe(true)
  })

  it('runs a file with its own BEGIN/COMMIT as written, and says what a failure after its COMMIT leaves applied', async () => {
    write('004_own_audit', 'BEGIN;\nCREATE TABLE audit (id int);\nCOMMIT;\nBEGIN;\nINSERT INTO audit VALUES (1);\nCOMMIT;\n')
    write('005_own_fails', 'BEGIN;\nCREATE TABLE audit_more (id int);\nCOMMIT;\nUPDATE orders SET note = missing_column;\n')
    const before = await targetState()
    const { result } = await rehearse()
    expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
      ['002_things_name_index', 'ok'], ['003_orders_note', 'ok'], ['004_own_audit', 'ok'], ['005_own_fails', 'failed'],
    ])
    expect(result.migrations[2]).toMatchObject({ locks: null, note: 'ran its own BEGIN/COMMIT, without dbsafe\'s transaction: its locks were not observed' })
    expect(result.migrations[3]).toMatchObject({
      error: { line: 4, message: 'column "missing_column" does not exist' },
      note: 'the statements before line 4 were committed by the file\'s own COMMIT and stay applied',
    })
    expect(await targetState()).toEqual(before)
  })
})

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)
