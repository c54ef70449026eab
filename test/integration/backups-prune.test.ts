import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listBackups } from '~server/backups/inventory'
import { pruneBackups, retentionPlan } from '~server/backups/retention'
import { targetConfigSchema, type TargetConfig } from '~server/config/schema'
import { createConsoleDatabase, createTestDatabase, pgDump } from '../support/db'
import { once } from '../support/once'

const NOW = new Date('2025-03-20T12:00:00Z')
const DAY = 86_400_000

describe('pruning backups', () => {
  let source: Awaited<ReturnType<typeof createTestDatabase>>
  let consoleDb: Awaited<ReturnType<typeof createTestDatabase>>
  let root: string
  let dir: string
  let target: TargetConfig
  const files = () => readdirSync(dir).sort()

  beforeAll(async () => {
    source = await createTestDatabase('bk_prune_source')
    await source.pool.query(`CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 100)`)
    consoleDb = await createConsoleDatabase('bk_prune_console')
    root = mkdtempSync(join(tmpdir(), 'dbsafe-prune-'))
    dir = join(root, 'backups')
    mkdirSync(dir)
    target = targetConfigSchema.parse({ id: 'main', label: 'Main', envFile: join(root, 'app.env'), migrationsDir: root, backupsDir: dir, retentionDays: 7 })
    const dump = pgDump(source.name)
    const write = (name: string, data: Buffer | string, mtime: Date) => {
      writeFileSync(join(dir, name), data)
      utimesSync(join(dir, name), mtime, mtime)
    }
    // Seed backups from 1 to 20 days back; the newest two are cut off, the good ones all past retention.
    for (const daysAgo of [1, 2, 8, 9, 10, 15, 20]) {
      const at = new Date(NOW.getTime() - daysAgo * DAY)
      const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)
      write(`db_backup_${stamp}.sql`, daysAgo <= 2 ? dump.subarray(0, 500) : dump, at)
    }
    write('dbsafe_main_20250301T020000Z.dump.partial', 'half', new Date(NOW.getTime() - 3 * DAY))
    write('dbsafe_main_20250320T110000Z.dump.partial', 'writing', new Date(NOW.getTime() - 60_000))
    write('dbsafe_main_20250301T030000Z.dump', 'x', new Date(NOW.getTime() - 19 * DAY))
    write('dbsafe_main_20250301T030000Z.dump.manifest.json', '{"not": "valid"}', new Date(NOW.getTime() - 19 * DAY))
    write('notes.txt', 'keep me', new Date(NOW.getTime() - 100 * DAY))
    writeFileSync(join(root, 'old_outside.dump'), 'outside')
    symlinkSync(join(root, 'old_outside.dump'), join(dir, 'linked_old.dump'))
  })
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true })
    await source.drop()
    await consoleDb.drop()
  })
  // The one prune of the seeded dir, done by the first test that needs it.
  const pruned = once(async () => {
    const plan = await retentionPlan(consoleDb.pool, target, { keepMin: 3, now: NOW })
    const before = files()
    const removed = await pruneBackups(consoleDb.pool, target, { keepMin: 3, now: NOW })
    return { plan, before, removed }
  })

  it('plans: expired go, the newest usable are kept even past corrupt ones, stale partials go', async () => {
    const plan = await retentionPlan(consoleDb.pool, target, { keepMin: 3, now: NOW })
    expect(plan.remove.map((r) => r.id).sort()).toEqual([
      'db_backup_20250228_120000.sql', 'db_backup_20250305_120000.sql',
      'dbsafe_main_20250301T020000Z.dump.partial', 'dbsafe_main_20250301T030000Z.dump',
    ])
    expect(plan.keep.map((k) => k.id).sort()).toEqual([
      'db_backup_20250310_120000.sql', 'db_backup_20250311_120000.sql', 'db_backup_20250312_120000.sql',
      'db_backup_20250318_120000.sql', 'db_backup_20250319_120000.sql', 'dbsafe_main_20250320T110000Z.dump.partial',
    ])
    expect(plan.keep.find((k) => k.id === 'db_backup_20250310_120000.sql')!.reason).toBe('one of the 3 newest usable backups, kept although expired')
    expect(plan.keep.find((k) => k.id === 'db_backup_20250319_120000.sql')!.reason).toMatch(/^corrupt, kept until it expires/)
  })

  it('deletes exactly what the plan said, with manifests, and nothing outside the backups dir', async () => {
    const { plan, before, removed } = await pruned()
    expect(removed).toEqual(plan.remove)
    const gone = [...plan.remove.map((r) => r.id), 'dbsafe_main_20250301T030000Z.dump.manifest.json']
    expect(files()).toEqual(before.filter((f) => !gone.includes(f)))
    expect(files()).toContain('notes.txt')
    expect(files()).toContain('linked_old.dump')
    expect(existsSync(join(root, 'old_outside.dump'))).toBe(true)
    expect((await listBackups(consoleDb.pool, target, { now: NOW })).map((e) => e.id).sort()).toEqual(plan.keep.map((k) => k.id).sort())
  })

  it('has nothing more to remove right after pruning', async () => {
    await pruned()
    expect(await pruneBackups(consoleDb.pool, target, { keepMin: 3, now: NOW })).toEqual([])
  })
})
