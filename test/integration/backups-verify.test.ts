import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listBackups } from '~server/backups/inventory'
import { takeBackup } from '~server/backups/take'
import { verifyBackup } from '~server/backups/verify'
import type { TargetConfig } from '~server/config/schema'
import { asSuperuser, cluster, createConsoleDatabase, createRestoreRole, createTestDatabase, pgDump, queryRows } from '../support/db'
import { createTargetFixture, targetConfigFor } from '../support/fixture'
import { quiet } from '../support/jobs'

// Runs a restore test and returns its result with the scratch database it announced.
async function verify(consoleDb: pg.Pool, target: TargetConfig, id: string, opts: Parameters<typeof verifyBackup>[3]) {
  const lines: string[] = []
  const result = await verifyBackup(consoleDb, target, id, opts, { log: (l) => { lines.push(l) }, progress: () => {} })
  const scratch = lines.map((l) => /^created scratch database (\S+)$/.exec(l)?.[1]).find(Boolean) ?? null
  return { result, scratch, lines }
}

async function databaseExists(name: string): Promise<boolean> {
  return (await queryRows(cluster().adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).length === 1
}

describe('restore-testing a backup', () => {
  let fx: Awaited<ReturnType<typeof createTargetFixture>>
  let consoleDb: Awaited<ReturnType<typeof createTestDatabase>>
  let target: TargetConfig
  let dir: string
  let restoreRole: Awaited<ReturnType<typeof createRestoreRole>>
  const restoreTestUrl = () => restoreRole.url
  const status = async (id: string) => (await listBackups(consoleDb.pool, target)).find((e) => e.id === id)

  beforeAll(async () => {
    fx = await createTargetFixture('bk_verify')
    restoreRole = await createRestoreRole()
    consoleDb = await createConsoleDatabase('bk_verify_console')
    await asSuperuser(cluster().urlFor(fx.database), `
      INSERT INTO things (name) SELECT 'thing ' || g FROM generate_series(1, 3000) g;
      CREATE SCHEMA billing;
      CREATE TABLE billing.invoices (id bigint PRIMARY KEY, amount numeric, note text);
      INSERT INTO billing.invoices SELECT g, g * 1.5, E'tab\\there ' || g FROM generate_series(1, 1500) g;
      GRANT USAGE ON SCHEMA billing TO ${fx.appRole};
      GRANT SELECT ON ALL TABLES IN SCHEMA public, billing TO ${fx.appRole};
      GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO ${fx.appRole};`)
    dir = join(fx.dir, 'backups')
    target = targetConfigFor(fx, { retentionDays: 7 })
  })
  afterAll(async () => {
    await fx.drop()
    await consoleDb.drop()
    await restoreRole.drop()
  })

  it('verifies a fresh custom dump against its manifest and drops the scratch database', async () => {
    const manifest = await takeBackup(target, {}, quiet, 'alice')
    expect((await status(manifest.file))!.status).toBe('unverified')
    const { result, scratch } = await verify(consoleDb.pool, target, manifest.file, { restoreTestUrl: restoreTestUrl(), who: 'alice' })
    expect(result).toMatchObject({ ok: true, comparedWith: 'manifest', server: 'restore-test', notes: [] })
    expect(result.tables).toEqual(expect.arrayContaining([
      { schema: 'public', name: 'things', expectedRows: 3000, restoredRows: 3000 },
      { schema: 'billing', name: 'invoices', expectedRows: 1500, restoredRows: 1500 },
    ]))
    expect(scratch).toMatch(/^dbsafe_verify_[0-9a-f]+$/)
    expect(await databaseExists(scratch!)).toBe(false)
    expect(await status(manifest.file)).toMatchObject({ status: 'verified', verifiedAt: result.verifiedAt })
  })

  it('verifies a directory-format dump the console took', async () => {
    const manifest = await takeBackup(target, { format: 'directory' }, quiet, 'alice')
    const { result, scratch } = await verify(consoleDb.pool, target, manifest.file, { restoreTestUrl: restoreTestUrl() })
    expect(result).toMatchObject({ ok: true, comparedWith: 'manifest' })
    expect(await databaseExists(scratch!)).toBe(false)
  })

  it('verifies a seed-style .sql.gz (owner and grant lines included) against the live database', async () => {
    const id = 'db_backup_20250301_020000.sql.gz'
    writeFileSync(join(dir, id), gzipSync(pgDump(fx.database)))
    const { result, scratch } = await verify(consoleDb.pool, target, id, { restoreTestUrl: restoreTestUrl() })
    expect(result).toMatchObject({ ok: true, comparedWith: 'live' })
    expect(result.tables).toContainEqual({ schema: 'billing', name: 'invoices', expectedRows: 1500, restoredRows: 1500 })
    expect(await databaseExists(scratch!)).toBe(false)
    expect(await status(id)).toMatchObject({ status: 'verified' })
  })

  it('notes rows that moved on in the live database without failing a backup made elsewhere', async () => {
    const id = 'db_backup_20250302_020000.sql'
    writeFileSync(join(dir, id), pgDump(fx.database))
    await asSuperuser(cluster().urlFor(fx.database), `INSERT INTO things (name) VALUES ('after the backup')`)
    const { result } = await verify(consoleDb.pool, target, id, { restoreTestUrl: restoreTestUrl() })
    expect(result).toMatchObject({ ok: true, comparedWith: 'live', notes: ['table public.things: 3000 rows in the backup, 3001 in the live database now'] })
    await asSuperuser(cluster().urlFor(fx.database), `DELETE FROM things WHERE name = 'after the backup'`)
  })

  it('records a cut-off .sql.gz as corrupt with the reason, and still drops the scratch database', async () => {
    const id = 'db_backup_20250303_020000.sql.gz'
    const whole = gzipSync(pgDump(fx.database))
    writeFileSync(join(dir, id), whole.subarray(0, Math.floor(whole.length * 0.7)))
    // Written an hour ago: a file that fails its check within a minute of changing shows as still being written.
    utimesSync(join(dir, id), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000))
    const { result, scratch } = await verify(consoleDb.pool, target, id, { restoreTestUrl: restoreTestUrl() })
    expect(result).toMatchObject({ ok: false, problem: expect.stringMatching(/gzip stream is damaged or cut off/) })
    expect(scratch).not.toBeNull()
    expect(await databaseExists(scratch!)).toBe(false)
    expect(await status(id)).toMatchObject({ status: 'corrupt', problem: expect.stringMatching(/gzip/) })
  })

  it('records a complete-looking plain dump that fails to restore as corrupt with psql\'s error', async () => {
    const id = 'db_backup_20250304_020000.sql'
    const sql = pgDump(fx.database).toString('utf8').replace(/\nCOPY billing\.invoices/, '\nINSERT INTO no_such_table VALUES (1);\nCOPY billing.invoices')
    writeFileSync(join(dir, id), sql)
    expect((await status(id))!.status).toBe('unverified')
    const { result, scratch } = await verify(consoleDb.pool, target, id, { restoreTestUrl: restoreTestUrl() })
    expect(result).toMatchObject({ ok: false, problem: expect.stringMatching(/psql failed.*relation "no_such_table" does not exist/) })
    expect(await databaseExists(scratch!)).toBe(false)
    expect(await status(id)).toMatchObject({ status: 'corrupt', problem: expect.stringMatching(/^restore test failed: /) })
  })

  it('refuses to run psql backslash commands a tampered plain dump carries', async () => {
    const id = 'db_backup_20250306_020000.sql'
    const marker = join(fx.dir, 'pwned')
    const sql = pgDump(fx.database).toString('utf8').replace(/\nCOPY billing\.invoices/, `\n\\! touch ${marker}\nCOPY billing.invoices`)
    writeFileSync(join(dir, id), sql)
    const { result, scratch } = await verify(consoleDb.pool, target, id, { restoreTestUrl: restoreTestUrl() })
    expect(result).toMatchObject({ ok: false, problem: expect.stringMatching(/backslash commands are restricted/) })
    expect(existsSync(marker)).toBe(false)
    expect(await databaseExists(scratch!)).toBe(false)
  })

  it('does not restore a file that no longer matches its manifest', async () => {
    const manifest = await takeBackup(target, {}, quiet, 'alice')
    const path = join(dir, manifest.file)
    const bytes = readFileSync(path)
    bytes[bytes.length - 10] ^= 0xff
    writeFileSync(path, bytes)
    const { result, scratch } = await verify(consoleDb.pool, target, manifest.file, { restoreTestUrl: restoreTestUrl() })
    expect(result).toMatchObject({ ok: false, problem: expect.stringMatching(/differs from the manifest/) })
    expect(scratch).toBeNull()
    expect(await status(manifest.file)).toMatchObject({ status: 'corrupt' })
  })

  it('shows a verified backup as unverified again once the file changes', async () => {
    const manifest = await takeBackup(target, {}, quiet, 'alice')
    await verify(consoleDb.pool, target, manifest.file, { restoreTestUrl: restoreTestUrl() })
    expect((await status(manifest.file))!.status).toBe('verified')
    utimesSync(join(dir, manifest.file), new Date(), new Date(Date.now() + 5000))
    expect((await status(manifest.file))!.status).toBe('unverified')
  })

  it('without a restore-test server, explains that one is needed when the role may not create databases', async () => {
    const manifest = await takeBackup(target, {}, quiet, 'alice')
    await expect(verifyBackup(consoleDb.pool, target, manifest.file, {}, quiet)).rejects.toThrow(/may not create databases.*Configure restoreTestUrl/)
  })

  it('restores on the target\'s own server when its role may create databases, as that role', async () => {
    await asSuperuser(cluster().adminUrl, `ALTER ROLE ${fx.appRole} CREATEDB`)
    try {
      const id = 'db_backup_20250305_020000.sql'
      writeFileSync(join(dir, id), pgDump(fx.database))
      const { result, scratch } = await verify(consoleDb.pool, target, id, {})
      expect(result).toMatchObject({ ok: true, server: 'target', comparedWith: 'live' })
      expect(await databaseExists(scratch!)).toBe(false)
    } finally {
      await asSuperuser(cluster().adminUrl, `ALTER ROLE ${fx.appRole} NOCREATEDB`)
    }
  })

  it('refuses ids that are not backups in the backups dir', async () => {
    for (const id of ['../app.env', 'app.env', 'missing.dump']) {
      await expect(verifyBackup(consoleDb.pool, target, id, { restoreTestUrl: restoreTestUrl() }, quiet)).rejects.toThrow(/no backup/)
    }
  })
})
