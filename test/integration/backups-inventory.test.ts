import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupEntry } from '~contract/backups'
import { listBackups } from '~server/backups/inventory'
import { resolveBackup } from '~server/backups/paths'
import { takeBackup } from '~server/backups/take'
import type { TargetConfig } from '~server/config/schema'
import { asSuperuser, cluster, createConsoleDatabase, createTestDatabase, pgDump } from '../support/db'
import { createTargetFixture, targetConfigFor } from '../support/fixture'
import { quiet } from '../support/jobs'

const STAMP = new Date('2025-03-01T12:00:00Z')

describe('backup inventory', () => {
  let fx: Awaited<ReturnType<typeof createTargetFixture>>
  let consoleDb: Awaited<ReturnType<typeof createTestDatabase>>
  let target: TargetConfig
  let dir: string
  let outside: string
  let byId: Map<string, BackupEntry>
  let freshId: string
  const write = (name: string, data: Buffer | string) => {
    writeFileSync(join(dir, name), data)
    utimesSync(join(dir, name), STAMP, STAMP)
  }

  beforeAll(async () => {
    fx = await createTargetFixture('bk_inventory')
    consoleDb = await createConsoleDatabase('bk_inventory_console')
    await asSuperuser(cluster().urlFor(fx.database), `
      INSERT INTO things (name) SELECT 'thing ' || g FROM generate_series(1, 2000) g;
      CREATE TABLE events (id bigint PRIMARY KEY, body text);
      INSERT INTO events SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 5000) g;
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${fx.appRole};
      GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO ${fx.appRole};`)
    dir = join(fx.dir, 'backups')
    target = targetConfigFor(fx, { retentionDays: 7 })
    outside = mkdtempSync(join(tmpdir(), 'dbsafe-outside-'))

    const plain = pgDump(fx.database, [])
    const custom = pgDump(fx.database, ['-Fc'])
    write('db_backup_20250301_020000.sql', plain)
    write('db_backup_20250302_020000.sql.gz', gzipSync(plain))
    write('db_backup_20250303_020000.sql.gz', gzipSync(plain).subarray(0, 4000))
    write('db_backup_20250304_020000.sql', plain.subarray(0, Math.floor(plain.length / 2)))
    write('nightly.dump', custom)
    const flipped = Buffer.from(custom)
    flipped.fill(0xff, Math.floor(custom.length * 0.6), Math.floor(custom.length * 0.6) + 16)
    write('flipped.dump', flipped)
    write('dbsafe_main_20250306T020000Z.dump.partial', custom.subarray(0, 100))
    pgDump(fx.database, ['-Fd', '-f', join(dir, 'dir_dump')])
    for (const name of ['notes.txt', 'random.sql', 'backup.tar', '.hidden.dump', 'db_backup_2025.sql', 'orphan.dump.manifest.json']) write(name, 'not a backup')
    mkdirSync(join(dir, 'not_a_dump'))
    writeFileSync(join(outside, 'secret.dump'), custom)
    symlinkSync(join(outside, 'secret.dump'), join(dir, 'escape.dump'))

    const manifest = await takeBackup(target, {}, quiet, 'alice')
    freshId = manifest.file
    const copy = `dbsafe_main_20250305T020000Z.dump`
    const bytes = readFileSync(join(dir, manifest.file))
    bytes[Math.floor(bytes.length / 2)] ^= 0xff
    write(copy, bytes)
    write(`${copy}.manifest.json`, JSON.stringify({ ...manifest, file: copy }))

    byId = new Map((await listBackups(consoleDb.pool, target)).map((e) => [e.id, e]))
  })
  afterAll(async () => {
    rmSync(outside, { recursive: true, force: true })
    await fx.drop()
    await consoleDb.drop()
  })

  it('lists seed plain and gzip dumps made with pg_dump as unverified', () => {
    expect(byId.get('db_backup_20250301_020000.sql')).toMatchObject({ format: 'plain', status: 'unverified', createdAt: '2025-03-01T02:00:00.000Z' })
    expect(byId.get('db_backup_20250302_020000.sql.gz')).toMatchObject({ format: 'plain-gzip', status: 'unverified' })
    expect(byId.get('db_backup_20250301_020000.sql')!.problem).toBeUndefined()
  })

  it('finds a cut-off gzip and a cut-off plain dump corrupt by reading them, and says why', () => {
    expect(byId.get('db_backup_20250303_020000.sql.gz')).toMatchObject({ status: 'corrupt', problem: expect.stringMatching(/gzip stream is damaged or cut off/) })
    expect(byId.get('db_backup_20250304_020000.sql')).toMatchObject({ status: 'corrupt', problem: expect.stringMatching(/cut off or did not finish/) })
  })

  it('reads custom dumps through pg_restore: a whole one is unverified, one with damaged bytes corrupt', () => {
    expect(byId.get('nightly.dump')).toMatchObject({ format: 'custom', status: 'unverified' })
    expect(byId.get('flipped.dump')).toMatchObject({ format: 'custom', status: 'corrupt', problem: expect.stringMatching(/pg_restore could not read it back/) })
  })

  it('checks a console backup against its manifest sha256', () => {
    expect(byId.get('dbsafe_main_20250305T020000Z.dump')).toMatchObject({ status: 'corrupt', createdBy: 'alice', problem: expect.stringMatching(/differs from the manifest/) })
    const fresh = byId.get(freshId)
    expect(fresh).toMatchObject({ format: 'custom', status: 'unverified', createdBy: 'alice', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(fresh!.manifest).toMatchObject({ tableCount: 2, totalRows: 7000 })
  })

  it('lists a directory-format dump and a .partial file', () => {
    expect(byId.get('dir_dump')).toMatchObject({ format: 'directory', status: 'unverified' })
    expect(byId.get('dbsafe_main_20250306T020000Z.dump.partial')).toMatchObject({ status: 'partial', createdAt: '2025-03-06T02:00:00.000Z' })
  })

  it('lists nothing else: random files, manifests, plain directories, symlinks', () => {
    expect([...byId.keys()].sort()).toEqual([
      'db_backup_20250301_020000.sql', 'db_backup_20250302_020000.sql.gz', 'db_backup_20250303_020000.sql.gz', 'db_backup_20250304_020000.sql',
      'dbsafe_main_20250305T020000Z.dump', 'dbsafe_main_20250306T020000Z.dump.partial', 'dir_dump', 'flipped.dump', 'nightly.dump', freshId,
    ].sort())
  })

  it('dates backups by their name, else their mtime, and expires them after retentionDays', () => {
    expect(byId.get('db_backup_20250302_020000.sql.gz')).toMatchObject({ expiresAt: '2025-03-09T02:00:00.000Z', expired: true })
    expect(byId.get('nightly.dump')).toMatchObject({ createdAt: STAMP.toISOString(), expiresAt: '2025-03-08T12:00:00.000Z' })
  })

  it('refuses a symlink that points outside the backups dir', async () => {
    expect(await resolveBackup(target, 'escape.dump')).toBeNull()
    expect(await resolveBackup(target, 'nightly.dump')).toBe(join(realpathSync(dir), 'nightly.dump'))
  })

  it('shows a file that fails its check but changed within the last minute as partial, not corrupt', async () => {
    const name = 'db_backup_20250307_020000.sql.gz'
    writeFileSync(join(dir, name), gzipSync(pgDump(fx.database, [])).subarray(0, 3000))
    expect((await listBackups(consoleDb.pool, target)).find((e) => e.id === name))
      .toMatchObject({ status: 'partial', problem: expect.stringMatching(/probably still being written/) })
    const later = new Date(Date.now() + 120_000)
    expect((await listBackups(consoleDb.pool, target, { now: later })).find((e) => e.id === name)).toMatchObject({ status: 'corrupt' })
  })

  it('serves a second listing from the cache while size and mtime are unchanged, and re-reads once they change', async () => {
    const name = 'db_backup_20250301_020000.sql'
    const size = statSync(join(dir, name)).size
    // Same size, same mtime, still a dump's header, but no completion marker any more: only a re-read could tell.
    const header = readFileSync(join(dir, name)).subarray(0, 64)
    write(name, Buffer.concat([header, Buffer.alloc(size - header.length, 0x20)]))
    expect((await listBackups(consoleDb.pool, target)).find((e) => e.id === name)).toMatchObject({ status: 'unverified' })
    utimesSync(join(dir, name), STAMP, new Date(STAMP.getTime() + 1000))
    expect((await listBackups(consoleDb.pool, target)).find((e) => e.id === name)).toMatchObject({ status: 'corrupt' })
  })
})
