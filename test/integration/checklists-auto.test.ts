import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AutoCheck, AutoParams } from '~contract/checklists'
import { takeBackup } from '~server/backups/take'
import { verifyBackup } from '~server/backups/verify'
import { evaluateAutoItems } from '~server/checklists/evaluate'
import { targetConfigSchema, type TargetConfig } from '~server/config/schema'
import { closePools } from '~server/database/pools'
import { TRACKING_TABLE_DDL } from '~server/migrations/tracking-table'
import { asSuperuser, cluster, createConsoleDatabase, createRestoreRole, createTestDatabase } from '../support/db'
import { createTargetFixture, targetConfigFor } from '../support/fixture'
import { quiet } from '../support/jobs'

// Each automatic item against real state: a real target database, env file, migrations dir,
// backups taken and restore-tested by the backups module, and jobs in a real console database.
describe('automatic checklist items on live state', () => {
  let fx: Awaited<ReturnType<typeof createTargetFixture>>
  let consoleDb: Awaited<ReturnType<typeof createTestDatabase>>
  let restoreRole: Awaited<ReturnType<typeof createRestoreRole>>
  let target: TargetConfig
  const dayAgo = () => new Date(Date.now() - 86_400_000)
  const check = async (kind: AutoCheck, opts: { params?: AutoParams, now?: Date, since?: Date, target?: TargetConfig } = {}) =>
    (await evaluateAutoItems(consoleDb.pool, opts.target ?? target, [{ key: kind, check: kind, params: opts.params }], opts.since ?? dayAgo(),
      { now: opts.now })).get(kind)!
  const targetSql = (sql: string) => asSuperuser(cluster().urlFor(fx.database), sql)
  const env = (skip: string) => {
    const text = readFileSync(fx.envFile, 'utf8').replace(/^SKIP_MIGRATIONS=.*$/m, `SKIP_MIGRATIONS=${skip}`)
    writeFileSync(fx.envFile, text)
  }

  beforeAll(async () => {
    fx = await createTargetFixture('ck_auto')
    restoreRole = await createRestoreRole()
    consoleDb = await createConsoleDatabase('ck_auto_console')
    await targetSql(`GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO ${fx.appRole}`)
    target = targetConfigFor(fx)
  })
  afterAll(async () => {
    await closePools()
    await fx?.drop()
    await consoleDb?.drop()
    await restoreRole?.drop()
  })

  it('skip-migrations: "true" passes; "TRUE" fails and says migrations run, though none is pending', async () => {
    const on = await check('skip-migrations')
    expect(on.pass).toBe(true)
    expect(on.evidence.value).toMatch(/^SKIP_MIGRATIONS="true" \(line \d+ of .*app\.env\)$/)
    env('TRUE')
    const near = await check('skip-migrations')
    expect(near.pass).toBe(false)
    expect(near.evidence.value).toContain('"TRUE"')
    expect(near.evidence.detail).toMatch(/^Migrations run on the next start, but none is pending now.*looks like on/)
    env('true')
  })

  it('evidence says when it was seen', async () => {
    const now = new Date('2026-11-20T10:00:00Z')
    expect((await check('skip-migrations', { now })).evidence.seenAt).toBe(now.toISOString())
  })

  it('reachable: passes with both databases up, fails with the driver\'s reason for a closed port', async () => {
    const up = await check('reachable')
    expect(up).toMatchObject({ pass: true, evidence: { value: expect.stringMatching(/^console answers, target answers \(PostgreSQL \d+/) } })
    const down = targetConfigSchema.parse({ ...target, id: 'down', databaseUrl: 'postgresql://nobody@127.0.0.1:1/none' })
    const res = await check('reachable', { target: down })
    expect(res.pass).toBe(false)
    expect(res.evidence.value).toBe('console answers, target unreachable')
    expect(res.evidence.detail).toMatch(/ECONNREFUSED/)
  })

  it('no-drift and no-pending follow the migrations dir and the tracking table', async () => {
    const dir = join(fx.dir, 'migrations')
    const sql = 'CREATE TABLE IF NOT EXISTS gadgets (id int);\n'
    writeFileSync(join(dir, '001_gadgets.sql'), sql)
    expect(await check('no-drift')).toMatchObject({ pass: true })
    expect(await check('no-pending')).toMatchObject({ pass: false, evidence: { value: '1 not applied', detail: '001_gadgets is pending' } })
    env('TRUE')
    expect((await check('skip-migrations')).evidence.detail).toMatch(/^1 pending migration WILL run on the next start\./)
    env('true')

    await targetSql(`${TRACKING_TABLE_DDL('dbsafe_migrations')}; ${sql}
      INSERT INTO dbsafe_migrations (name, checksum, applied_at, applied_by) VALUES ('001_gadgets', '${createHash('sha256').update(sql).digest('hex')}', now(), 'test');
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${fx.appRole}`)
    expect(await check('no-pending')).toMatchObject({ pass: true, evidence: { value: 'all 1 applied' } })
    expect(await check('no-drift')).toMatchObject({ pass: true, evidence: { value: 'no drift (1 applied unchanged)' } })

    writeFileSync(join(dir, '001_gadgets.sql'), sql + '-- edited after it ran\n')
    expect(await check('no-drift')).toMatchObject({ pass: false, evidence: { detail: '001_gadgets is drifted' } })
    writeFileSync(join(dir, '001_gadgets.sql'), sql)
  })

  it('app-role-not-unsafe: plain DML grants pass; owning a table (can DROP it) fails', async () => {
    const ok = await check('app-role-not-unsafe')
    expect(ok.pass).toBe(true)
    expect(ok.evidence.value).toMatch(new RegExp(`^${fx.appRole}: (safe|warning) `))
    await targetSql(`ALTER TABLE things OWNER TO ${fx.appRole}`)
    const owner = await check('app-role-not-unsafe')
    expect(owner.pass).toBe(false)
    expect(owner.evidence.value).toMatch(new RegExp(`^${fx.appRole}: unsafe `))
    await targetSql(`ALTER TABLE things OWNER TO CURRENT_USER; GRANT SELECT, INSERT, UPDATE, DELETE ON things TO ${fx.appRole};
      GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO ${fx.appRole}`)
  })

  it('connections-headroom: counts client backends against max_connections', async () => {
    const ok = await check('connections-headroom')
    expect(ok.pass).toBe(true)
    const [, used, max] = ok.evidence.value.match(/^(\d+) of (\d+) connections/)!.map(Number)
    expect(used).toBeGreaterThanOrEqual(1)
    // The same real count judged against a limit it cannot meet.
    const tight = await check('connections-headroom', { params: { maxRatio: 0.5 / max } })
    expect(tight).toMatchObject({ pass: false, evidence: { detail: 'limit 0%' } })
  })

  it('no-failed-jobs: a failed job of this target inside the window fails the item; one before it does not', async () => {
    expect(await check('no-failed-jobs')).toMatchObject({ pass: true, evidence: { value: expect.stringMatching(/^none since /) } })
    await consoleDb.pool.query(`INSERT INTO jobs (kind, target, status, error, finished_at) VALUES
      ('backup', 'main', 'failed', 'disk full', now() - interval '1 hour'), ('backup', 'other', 'failed', 'not ours', now())`)
    const failed = await check('no-failed-jobs')
    expect(failed.pass).toBe(false)
    expect(failed.evidence.value).toMatch(/^1 failed or interrupted since /)
    expect(failed.evidence.detail).toMatch(/backup failed: disk full/)
    expect(await check('no-failed-jobs', { since: new Date(Date.now() - 60_000) })).toMatchObject({ pass: true })
  })

  it('fresh-verified-backup: none, then unverified, then verified passes until it is older than the limit', { timeout: 120_000 }, async () => {
    expect(await check('fresh-verified-backup')).toMatchObject({ pass: false, evidence: { value: 'no verified backup (no backups)' } })
    const manifest = await takeBackup(target, {}, quiet, 'test')
    expect(await check('fresh-verified-backup')).toMatchObject({ pass: false, evidence: { value: 'no verified backup (1 unverified)' } })
    const verification = await verifyBackup(consoleDb.pool, target, manifest.file, { restoreTestUrl: restoreRole.url, who: 'test' }, quiet)
    expect(verification.ok).toBe(true)
    const fresh = await check('fresh-verified-backup', { params: { maxAgeHours: 24 } })
    expect(fresh).toMatchObject({ pass: true, evidence: { value: `${manifest.file}: verified, 0 min old` } })
    const later = await check('fresh-verified-backup', { params: { maxAgeHours: 24 }, now: new Date(Date.now() + 25 * 3_600_000) })
    expect(later).toMatchObject({ pass: false, evidence: { value: `${manifest.file}: verified, 25 h 0 min old` } })
  })

  it('a check that cannot look fails with the reason instead of throwing', async () => {
    const missing = targetConfigSchema.parse({ ...target, id: 'gone', envFile: join(fx.dir, 'nope.env') })
    const res = await check('app-role-not-unsafe', { target: missing })
    expect(res.pass).toBe(false)
    expect(res.evidence.value).toBe('no app role configured')
    const role = await check('connections-headroom', { target: missing })
    expect(role).toMatchObject({ pass: false, evidence: { value: 'could not check', detail: expect.stringMatching(/not found/) } })
  })
})
