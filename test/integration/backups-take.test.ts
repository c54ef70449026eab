import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobProgress } from '~contract/jobs'
import { listBackups } from '~server/backups/inventory'
import { BACKUP_LOCK_NAMESPACE, BackupBusyError } from '~server/backups/lock'
import { takeBackup } from '~server/backups/take'
import type { TargetConfig } from '~server/config/schema'
import { asSuperuser, cluster, createConsoleDatabase, createTestDatabase, queryRows } from '../support/db'
import { createTargetFixture, targetConfigFor } from '../support/fixture'

function recorder() {
  const lines: string[] = []
  const progress: JobProgress[] = []
  return { lines, progress, ctx: { log: (l: string) => { lines.push(l) }, progress: (p: JobProgress) => { progress.push(p) } } }
}

// A stand-in binaries dir whose pg_dump is the given shell script body.
function fakeBinDir(root: string, name: string, body: string): string {
  const bin = join(root, name)
  mkdirSync(bin)
  writeFileSync(join(bin, 'pg_dump'), `#!/bin/sh\n${body}\n`)
  chmodSync(join(bin, 'pg_dump'), 0o755)
  return bin
}

describe('taking a backup', () => {
  let fx: Awaited<ReturnType<typeof createTargetFixture>>
  let consoleDb: Awaited<ReturnType<typeof createTestDatabase>>
  let target: TargetConfig
  let dir: string
  let tools: string
  const files = () => readdirSync(dir).sort()

  beforeAll(async () => {
    fx = await createTargetFixture('bk_take')
    consoleDb = await createConsoleDatabase('bk_take_console')
    await asSuperuser(cluster().urlFor(fx.database), `
      INSERT INTO things (name) SELECT 'thing ' || g FROM generate_series(1, 1234) g;
      CREATE SCHEMA billing;
      CREATE TABLE billing.invoices (id bigint PRIMARY KEY, amount numeric);
      INSERT INTO billing.invoices SELECT g, g * 1.5 FROM generate_series(1, 777) g;
      CREATE TABLE empty_table (id int);
      GRANT USAGE ON SCHEMA billing TO ${fx.appRole};
      GRANT SELECT ON ALL TABLES IN SCHEMA public, billing TO ${fx.appRole};
      GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO ${fx.appRole};`)
    dir = join(fx.dir, 'backups')
    target = targetConfigFor(fx, { retentionDays: 7 })
    tools = mkdtempSync(join(tmpdir(), 'dbsafe-fake-bin-'))
  })
  afterAll(async () => {
    rmSync(tools, { recursive: true, force: true })
    await fx.drop()
    await consoleDb.drop()
  })

  it('writes a custom-format dump and a manifest whose exact row counts equal the live ones', async () => {
    const rec = recorder()
    const before = files()
    const manifest = await takeBackup(target, {}, rec.ctx, 'alice')
    expect(manifest.file).toMatch(/^dbsafe_main_\d{8}T\d{6}Z\.dump$/)
    expect(files()).toEqual([...before, manifest.file, `${manifest.file}.manifest.json`].sort())
    const rows = await queryRows(cluster().urlFor(fx.database), `SELECT 'public' AS schema, 'things' AS name, count(*)::int AS rows FROM things
      UNION ALL SELECT 'billing', 'invoices', count(*)::int FROM billing.invoices UNION ALL SELECT 'public', 'empty_table', count(*)::int FROM empty_table`)
    expect(manifest.tables).toEqual(expect.arrayContaining(rows))
    expect(manifest.tables).toHaveLength(3)
    const bytes = readFileSync(join(dir, manifest.file))
    expect(bytes.subarray(0, 5).toString()).toBe('PGDMP')
    expect(manifest).toMatchObject({
      format: 'custom', target: 'main', database: fx.database, createdBy: 'alice', sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'), serverVersionNum: expect.any(Number), pgDumpVersion: expect.stringMatching(/^pg_dump \(PostgreSQL\) \d+/),
    })
    expect(JSON.parse(readFileSync(join(dir, `${manifest.file}.manifest.json`), 'utf8'))).toEqual(manifest)
    expect(manifest.databaseSizeBytes).toBeGreaterThan(0)
  })

  it('reports progress: every table dumped (done == total), log lines from pg_dump, bytes written', async () => {
    const rec = recorder()
    const manifest = await takeBackup(target, {}, rec.ctx, null)
    const tableSteps = rec.progress.filter((p) => p.total !== undefined)
    expect(tableSteps.at(-1)).toMatchObject({ done: 3, total: 3 })
    expect(rec.lines).toContain('pg_dump: dumping contents of table "billing.invoices"')
    expect(Math.max(...rec.progress.map((p) => p.bytes ?? 0))).toBe(manifest.sizeBytes)
  })

  it('never puts the password in pg_dump argv, the log or the manifest', async () => {
    const argvLog = join(tools, 'argv.log')
    const real = join(cluster().binDir, 'pg_dump')
    const bin = fakeBinDir(tools, 'spy', `if [ "$1" != --version ]; then printf '%s\\n' "$@" >> ${argvLog}; [ -n "$PGPASSWORD" ] && echo PGPASSWORD-set >> ${argvLog}; fi\nexec ${real} "$@"`)
    const rec = recorder()
    const manifest = await takeBackup(target, { binDir: bin }, rec.ctx, 'alice')
    const argv = readFileSync(argvLog, 'utf8')
    expect(argv).toContain('--snapshot=')
    expect(argv).toContain('PGPASSWORD-set')
    expect(argv).not.toContain(fx.appPassword)
    expect(rec.lines.join('\n')).not.toContain(fx.appPassword)
    expect(readFileSync(join(dir, `${manifest.file}.manifest.json`), 'utf8')).not.toContain(fx.appPassword)
  })

  it('lists its backup as unverified with the manifest summary', async () => {
    const manifest = await takeBackup(target, {}, recorder().ctx, 'bob')
    const entry = (await listBackups(consoleDb.pool, target)).find((e) => e.id === manifest.file)
    expect(entry).toMatchObject({ status: 'unverified', format: 'custom', createdBy: 'bob', sha256: manifest.sha256, manifest: { tableCount: 3, totalRows: 1234 + 777 } })
  })

  it('runs one backup of a target at a time: the second concurrent one gets BackupBusyError', async () => {
    const results = await Promise.allSettled([takeBackup(target, {}, recorder().ctx, 'a'), takeBackup(target, {}, recorder().ctx, 'b')])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const rejected = results.filter((r) => r.status === 'rejected')
    expect(rejected).toHaveLength(1)
    expect(rejected[0].reason).toBeInstanceOf(BackupBusyError)
    expect(files().filter((f) => f.endsWith('.partial'))).toEqual([])
  })

  it('is busy while another console instance holds the lock on the target database', async () => {
    const other = new pg.Client(cluster().urlFor(fx.database))
    await other.connect()
    await other.query('SELECT pg_advisory_lock($1, 1)', [BACKUP_LOCK_NAMESPACE])
    try {
      await expect(takeBackup(target, {}, recorder().ctx, 'a')).rejects.toThrow(/already running/)
    } finally {
      await other.end()
    }
  })

  it('refuses a pg_dump older than the server, naming both versions, and writes nothing', async () => {
    const before = files()
    const bin = fakeBinDir(tools, 'old', 'echo "pg_dump (PostgreSQL) 12.22"')
    await expect(takeBackup(target, { binDir: bin }, recorder().ctx, 'a')).rejects.toThrow(/pg_dump 12 .*older than the server \(PostgreSQL \d+/)
    expect(files()).toEqual(before)
  })

  it('leaves no backup file when pg_dump fails partway, and reports its error', async () => {
    const before = files()
    const bin = fakeBinDir(tools, 'failing', `if [ "$1" = --version ]; then echo "pg_dump (PostgreSQL) 99.0"; exit 0; fi\necho "PGDMP half a dump"\necho "pg_dump: error: simulated disk trouble" >&2\nexit 1`)
    await expect(takeBackup(target, { binDir: bin }, recorder().ctx, 'a')).rejects.toThrow(/pg_dump failed \(exit code 1\): pg_dump: error: simulated disk trouble/)
    expect(files()).toEqual(before)
  })

  it('leaves no backup file when the dump is killed', async () => {
    const before = files()
    const abort = new AbortController()
    const ctx = { log: (l: string) => { if (l.startsWith('pg_dump:')) abort.abort() }, progress: () => {} }
    await expect(takeBackup(target, { signal: abort.signal }, ctx, 'a')).rejects.toThrow(/abort/i)
    expect(files()).toEqual(before)
  })

  it('takes plain gzip and directory-format backups that the inventory reads back whole', async () => {
    const gz = await takeBackup(target, { format: 'plain', compress: 6 }, recorder().ctx, 'a')
    const directory = await takeBackup(target, { format: 'directory' }, recorder().ctx, 'a')
    expect(gz.file).toMatch(/\.sql\.gz$/)
    expect(directory.file).toMatch(/^dbsafe_main_\d{8}T\d{6}Z$/)
    const entries = await listBackups(consoleDb.pool, target)
    expect(entries.find((e) => e.id === gz.file)).toMatchObject({ format: 'plain-gzip', status: 'unverified', sha256: gz.sha256 })
    expect(entries.find((e) => e.id === directory.file)).toMatchObject({ format: 'directory', status: 'unverified', sizeBytes: directory.sizeBytes })
  })
})
