import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fileFingerprint } from '~server/backups/scan'
import { saveVerification } from '~server/backups/store'
import { backupsSummary, loadBackupFreshness } from '~server/backups/freshness'
import { evaluateAutoItems } from '~server/checklists/evaluate'
import { targetConfigSchema, type TargetConfig } from '~server/config/schema'
import { collectGauges } from '~server/metrics/collect'
import { createConsoleDatabase, createTestDatabase, pgDump } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'

const NOW = new Date('2025-03-20T12:00:00Z')
const HOUR = 3_600_000

// The freshness pages read, the checklist item and the metric judge the same files the same way.
describe('backup freshness: newest, newest usable, newest verified, judged by the configured age', () => {
  let source: Awaited<ReturnType<typeof createTestDatabase>>
  let consoleDb: Awaited<ReturnType<typeof createTestDatabase>>
  let root: string
  let target: (checklists?: { backupMaxAgeHours: number }) => TargetConfig
  const name = (hoursAgo: number) =>
    `db_backup_${new Date(NOW.getTime() - hoursAgo * HOUR).toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)}.sql`

  beforeAll(async () => {
    source = await createTestDatabase('bk_fresh_source')
    await source.pool.query(`CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 10)`)
    consoleDb = await createConsoleDatabase('bk_fresh_console')
    root = mkdtempSync(join(tmpdir(), 'dbsafe-fresh-'))
    const dir = join(root, 'backups')
    mkdirSync(dir)
    target = (checklists) => targetConfigSchema.parse({
      id: 'main', label: 'Main', envFile: join(root, 'app.env'), migrationsDir: root, backupsDir: dir, ...(checklists ? { checklists } : {}),
    })
    const dump = pgDump(source.name)
    for (const [hoursAgo, data] of [[30, dump], [10, dump], [5, dump.subarray(0, 400)]] as const) {
      const at = new Date(NOW.getTime() - hoursAgo * HOUR)
      writeFileSync(join(dir, name(hoursAgo)), data)
      utimesSync(join(dir, name(hoursAgo)), at, at)
    }
    writeFileSync(join(dir, 'dbsafe_main_20250320T115900Z.dump.partial'), 'writing')
    // The oldest was restore-tested; the inventory shows it verified while the file keeps its fingerprint.
    const file = await fileFingerprint(join(dir, name(30)))
    await saveVerification(consoleDb.pool, 'main', file, {
      id: name(30), ok: true, comparedWith: 'live', server: 'restore-test', tables: [], notes: [], verifiedAt: new Date(NOW.getTime() - 29 * HOUR).toISOString(), durationMs: 1,
    }, 'test')
  })
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true })
    await source?.drop()
    await consoleDb?.drop()
  })

  it('picks each newest by its rule and judges freshness by checklists.backupMaxAgeHours', async () => {
    const freshness = await loadBackupFreshness(consoleDb.pool, target({ backupMaxAgeHours: 36 }), NOW)
    expect(freshness).toMatchObject({
      count: 4, maxAgeHours: 36,
      newest: { id: name(5), status: 'corrupt', problem: expect.any(String) },
      newestUsable: { id: name(10), status: 'unverified' },
      newestVerified: { id: name(30), status: 'verified', verifiedAt: expect.any(String) },
      usableFresh: true, verifiedFresh: true,
    })
    expect(backupsSummary(freshness)).toEqual({
      count: 4, newest: { id: name(5), status: 'corrupt', createdAt: new Date(NOW.getTime() - 5 * HOUR).toISOString() },
      newestVerifiedAt: new Date(NOW.getTime() - 30 * HOUR).toISOString(),
      // The nightly files: the newest is corrupt, but the one before reads back and is 10 h old, inside the 24 h interval.
      scheduledWarning: null,
    })
    expect(await loadBackupFreshness(consoleDb.pool, target(), NOW)).toMatchObject({ maxAgeHours: 24, usableFresh: true, verifiedFresh: false })
    expect(await loadBackupFreshness(consoleDb.pool, target({ backupMaxAgeHours: 8 }), NOW)).toMatchObject({ usableFresh: false, verifiedFresh: false })
  })

  it('the checklist item and the metric agree with it', async () => {
    const check = async (t: TargetConfig) =>
      (await evaluateAutoItems(consoleDb.pool, t, [{ key: 'b', check: 'fresh-verified-backup' }], NOW, { now: NOW })).get('b')!
    expect(await check(target({ backupMaxAgeHours: 36 }))).toMatchObject({ pass: true, evidence: { value: `${name(30)}: verified, 30 h 0 min old` } })
    expect(await check(target())).toMatchObject({ pass: false, evidence: { detail: 'older than 24 h: take a new backup and test it' } })
    const gauges = await collectGauges(consoleDb.pool, [target()], { now: NOW })
    expect(gauges.find((g) => g.name === 'dbsafe_newest_verified_backup_age_seconds')!.samples).toEqual([{ labels: { target: 'main' }, value: 30 * 3600 }])
  })

  it('says why when the backups dir cannot be read', async () => {
    const gone = targetConfigSchema.parse({ ...target(), backupsDir: join(root, 'nope') })
    const freshness = await loadBackupFreshness(consoleDb.pool, gone, NOW)
    expect(freshness).toEqual({ error: expect.any(String) })
    expect(backupsSummary(freshness)).toEqual(freshness)
  })
})

describe('backup freshness over HTTP', () => {
  let c: ConsoleFixture
  let cookie: string
  beforeAll(async () => {
    c = await startConsoleFixture({ targetSettings: { checklists: { backupMaxAgeHours: 6 } } })
    cookie = await c.login('admin', c.adminPassword)
  })
  afterAll(async () => { await c?.cleanup() })

  it('serves the same facts as the overview, with the configured max age', async () => {
    const freshness = await json(await c.request('/api/targets/main/backups/freshness', { cookie }))
    expect(freshness).toEqual({
      count: 0, maxAgeHours: 6, newest: null, newestUsable: null, newestVerified: null, usableFresh: false, verifiedFresh: false,
      scheduled: { intervalHours: 24, newest: null, newestUsable: null, healthy: false, warning: expect.stringContaining('only manual ones') },
    })
    const overview = await json(await c.request('/api/targets/main/overview', { cookie }))
    expect(overview.backupFreshness).toEqual(freshness)
    expect(overview.backups).toEqual({ count: 0, newest: null, newestVerifiedAt: null, scheduledWarning: freshness.scheduled.warning })
  })
})
