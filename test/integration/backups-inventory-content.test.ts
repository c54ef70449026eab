import { spawnSync } from 'node:child_process'
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listBackups } from '~server/backups/inventory'
import { verifyBackup } from '~server/backups/verify'
import { targetConfigSchema, type TargetConfig } from '~server/config/schema'
import { asSuperuser, cluster, createConsoleDatabase, createRestoreRole, createTestDatabase, pgDump } from '../support/db'
import { createTargetFixture } from '../support/fixture'

const quiet = { log: () => {}, progress: () => {} }
const MTIME = new Date('2026-11-20T08:00:00Z')

// Real teams' backups dirs: the seed's script with and without a label, its runbook's naming, other
// tools' extensions and random names, a zstd plain dump, and files that only look like backups.
describe('backups recognised by their bytes, whatever their names', () => {
  let fx: Awaited<ReturnType<typeof createTargetFixture>>
  let consoleDb: Awaited<ReturnType<typeof createTestDatabase>>
  let restoreRole: Awaited<ReturnType<typeof createRestoreRole>>
  let target: TargetConfig
  let dir: string
  const write = (name: string, data: Buffer | string) => {
    writeFileSync(join(dir, name), data)
    utimesSync(join(dir, name), MTIME, MTIME)
  }

  beforeAll(async () => {
    fx = await createTargetFixture('bk_content')
    consoleDb = await createConsoleDatabase('bk_content_console')
    restoreRole = await createRestoreRole()
    await asSuperuser(cluster().urlFor(fx.database), `INSERT INTO things (name) SELECT 'thing ' || g FROM generate_series(1, 1200) g`)
    dir = join(fx.dir, 'backups')
    target = targetConfigSchema.parse({ id: 'main', label: 'Main', envFile: fx.envFile, migrationsDir: join(fx.dir, 'migrations'), backupsDir: dir, retentionDays: 7 })
    const plain = pgDump(fx.database)
    const zstd = spawnSync('zstd', ['-q', '-c'], { input: plain, maxBuffer: 1 << 28 })
    if (zstd.status !== 0) throw new Error(`zstd: ${zstd.stderr}`)
    write('db_backup_20261130_020000.sql', plain)
    write('db_backup_20261130_030000.sql.gz', gzipSync(plain))
    write('db_backup_pre_deployment_20261130_101500.sql.gz', gzipSync(plain))
    write('backup_20261129_020000.sql', plain)
    write('x7f3a9c1.dump', pgDump(fx.database, ['-Fc']))
    write('nightly-2026-11-28_02-00-00.backup', pgDump(fx.database, ['-Fc']))
    write('prod_20261127T020000Z.tar', pgDump(fx.database, ['-Ft']))
    write('db_backup_20261126_020000.sql.zst', zstd.stdout)
    pgDump(fx.database, ['-Fd', '-f', join(dir, 'weekly_2026-11-25_02-00-00')])
    // Not dumps: a README, a migration someone parked here, an empty file, a gzip of something else.
    write('README.md', '# Backups\nNightly at 02:00.\n')
    write('001_create_users.sql', 'CREATE TABLE users (id bigint PRIMARY KEY);\n')
    write('db_backup_20261124_020000.sql', '')
    write('logs_20261130_020000.log.gz', gzipSync('2026-11-30 02:00:00 backup ok\n'))
    mkdirSync(join(dir, 'old'))
  })
  afterAll(async () => {
    await fx?.drop()
    await consoleDb?.drop()
    await restoreRole?.drop()
  })

  it('lists exactly the dumps, each with its format, its time (from the name, else the mtime) and its label', async () => {
    const entries = await listBackups(consoleDb.pool, target)
    const seen = Object.fromEntries(entries.map((e) => [e.id, { format: e.format, createdAt: e.createdAt, label: e.label ?? null, status: e.status }]))
    expect(seen).toEqual({
      'db_backup_20261130_020000.sql': { format: 'plain', createdAt: '2026-11-30T02:00:00.000Z', label: null, status: 'unverified' },
      'db_backup_20261130_030000.sql.gz': { format: 'plain-gzip', createdAt: '2026-11-30T03:00:00.000Z', label: null, status: 'unverified' },
      'db_backup_pre_deployment_20261130_101500.sql.gz': { format: 'plain-gzip', createdAt: '2026-11-30T10:15:00.000Z', label: 'pre_deployment', status: 'unverified' },
      'backup_20261129_020000.sql': { format: 'plain', createdAt: '2026-11-29T02:00:00.000Z', label: null, status: 'unverified' },
      'x7f3a9c1.dump': { format: 'custom', createdAt: MTIME.toISOString(), label: null, status: 'unverified' },
      'nightly-2026-11-28_02-00-00.backup': { format: 'custom', createdAt: '2026-11-28T02:00:00.000Z', label: null, status: 'unverified' },
      'prod_20261127T020000Z.tar': { format: 'tar', createdAt: '2026-11-27T02:00:00.000Z', label: null, status: 'unverified' },
      'db_backup_20261126_020000.sql.zst': { format: 'plain-zstd', createdAt: '2026-11-26T02:00:00.000Z', label: null, status: 'unverified' },
      'weekly_2026-11-25_02-00-00': { format: 'directory', createdAt: '2026-11-25T02:00:00.000Z', label: null, status: 'unverified' },
    })
    expect(entries.map((e) => e.id)[0]).toBe('db_backup_pre_deployment_20261130_101500.sql.gz')
  })

  it('reports a cut-off zstd dump as corrupt with the reason', async () => {
    const zstd = spawnSync('zstd', ['-q', '-c'], { input: pgDump(fx.database), maxBuffer: 1 << 28 }).stdout
    write('db_backup_20261123_020000.sql.zst', zstd.subarray(0, Math.floor(zstd.length * 0.7)))
    const entry = (await listBackups(consoleDb.pool, target)).find((e) => e.id === 'db_backup_20261123_020000.sql.zst')
    expect(entry).toMatchObject({ format: 'plain-zstd', status: 'corrupt', problem: expect.stringMatching(/zstd stream is damaged or cut off|marker/) })
  })

  it.each([['db_backup_20261126_020000.sql.zst'], ['prod_20261127T020000Z.tar']])('restore-tests %s', async (id) => {
    const result = await verifyBackup(consoleDb.pool, target, id, { restoreTestUrl: restoreRole.url }, quiet)
    expect(result).toMatchObject({ ok: true, comparedWith: 'live' })
    expect(result.tables.find((t) => t.name === 'things')).toMatchObject({ restoredRows: 1200 })
  })
})
