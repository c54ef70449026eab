import { utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRestoreRole } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'
import { jobsOverHttp, waitForJob } from '../support/jobs'

const HOUR = 3_600_000
// The seed's nightly name: db_backup_YYYYMMDD_HHMMSS.sql.gz, written by cron, never by dbsafe.
const nightlyName = (at: Date) => `db_backup_${at.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)}.sql.gz`

// The verdict, the home list and the backups verdict against a running console: two real targets and one that is down.
describe('one verdict per target', () => {
  let c: ConsoleFixture
  let restoreRole: Awaited<ReturnType<typeof createRestoreRole>>
  let admin: string
  const get = async (path: string) => json(await c.request(path, { cookie: admin }))
  const post = async (path: string, body: unknown) => json(await c.request(path, { method: 'POST', cookie: admin, body }))
  const finished = (jobId: number) => waitForJob(jobsOverHttp((path) => c.request(path, { cookie: admin })), jobId, { timeoutMs: 60_000 })
  const backupsDir = (i: number) => join(c.targets[i].dir, 'backups')
  // A nightly file the cron job cut off: not gzip at all. Its mtime is the stamp's, as a finished job leaves it.
  const corruptNightly = (i: number, hoursAgo: number) => {
    const at = new Date(Date.now() - hoursAgo * HOUR)
    const name = nightlyName(at)
    writeFileSync(join(backupsDir(i), name), 'this is not a gzip stream\n')
    utimesSync(join(backupsDir(i), name), at, at)
    return name
  }

  beforeAll(async () => {
    restoreRole = await createRestoreRole()
    c = await startConsoleFixture({
      targets: ['main', 'second'],
      targetSettings: { restoreTestUrl: restoreRole.url },
      extraTargets: [{
        id: 'down', label: 'Down', environment: 'staging', envFile: '/nonexistent/down.env', databaseUrl: 'postgresql://nobody@127.0.0.1:1/none',
        migrationsDir: '/nonexistent/migrations', backupsDir: '/nonexistent/backups',
      }],
    })
    admin = await c.login('admin', c.adminPassword)
  }, 120_000)
  afterAll(async () => {
    await c?.cleanup()
    await restoreRole?.drop()
  })

  it('is the pre-deploy gate\'s own result: the same items and pass, each failing item a blocker with its reason and the page that fixes it', async () => {
    const gate = await json(await c.request('/api/targets/main/gate?phase=pre', { cookie: admin }))
    const verdict = await get('/api/targets/main/verdict')
    expect(verdict.gate.items.map((i: any) => [i.key, i.pass])).toEqual(gate.items.map((i: any) => [i.key, i.pass]))
    expect(verdict.gate.pass).toBe(gate.pass)
    // No backup at all: the backup item blocks, and the Backups page is where it is fixed.
    expect(gate.pass).toBe(false)
    expect(verdict.state).toBe('blocked')
    expect(verdict.blockers.map((b: any) => b.key)).toEqual(gate.items.filter((i: any) => !i.pass).map((i: any) => i.key))
    expect(verdict.blockers).toContainEqual(expect.objectContaining({
      key: 'fresh-verified-backup', label: 'A restore-tested backup younger than 24 hours', reason: 'no verified backup (no backups)', page: 'backups',
    }))
    expect(verdict).toMatchObject({ target: { id: 'main', environment: 'production' }, deploy: null, lastDeploy: null, newestRestoreTested: null })
  })

  it('lists every target on the home endpoint; the one that is down is still there, blocked with the reason', async () => {
    const list = await get('/api/verdicts')
    expect(list.map((v: any) => v.target.id)).toEqual(['main', 'second', 'down'])
    const down = list.find((v: any) => v.target.id === 'down')
    expect(down.target.environment).toBe('staging')
    expect(down.state).toBe('blocked')
    expect(down.blockers[0]).toMatchObject({ key: 'reachable', page: '' })
    expect(down.blockers[0].reason).toBe('console answers, target unreachable')
    expect(down.blockers[0].detail).toMatch(/ECONNREFUSED/)
    for (const v of list) expect(v.computedAt).toEqual(expect.any(String))
  })

  it('a restore test of a file that already read back corrupt is a finding about the file, not a failed console job', { timeout: 120_000 }, async () => {
    const name = corruptNightly(1, 5)
    // The inventory reads it back first: corrupt.
    const before = (await get('/api/targets/second/backups')).find((b: any) => b.id === name)
    expect(before).toMatchObject({ status: 'corrupt', scheduled: true })
    const { jobId } = await post(`/api/targets/second/backups/${name}/verify`, { confirm: 'second' })
    const job = await finished(jobId)
    expect(job.status).toBe('failed')
    expect(job.error).toMatch(/already read back corrupt/)
    const gate = await json(await c.request('/api/targets/second/gate?phase=pre', { cookie: admin }))
    expect(gate.items.find((i: any) => i.key === 'no-failed-jobs')).toMatchObject({ pass: true, evidence: { value: expect.stringMatching(/^none since/) } })
    // On the file instead: corrupt, with the failed restore test's time.
    const after = (await get('/api/targets/second/backups')).find((b: any) => b.id === name)
    expect(after).toMatchObject({ status: 'corrupt', verifiedAt: expect.any(String) })
  })

  it('a restore test that finds a file corrupt nobody had looked at yet still fails no-failed-jobs', { timeout: 120_000 }, async () => {
    // Written and tested before any listing read it back: the test is the first to find it broken.
    const name = corruptNightly(1, 30)
    const { jobId } = await post(`/api/targets/second/backups/${name}/verify`, { confirm: 'second' })
    expect((await finished(jobId)).status).toBe('failed')
    const gate = await json(await c.request('/api/targets/second/gate?phase=pre', { cookie: admin }))
    expect(gate.items.find((i: any) => i.key === 'no-failed-jobs')).toMatchObject({ pass: false, evidence: { detail: expect.stringContaining(`#${jobId} backups.verify failed`) } })
  })

  it('a corrupt newest nightly file stays a warning after a fresh manual backup passes its restore test', { timeout: 180_000 }, async () => {
    const name = corruptNightly(0, 2)
    const take = await post('/api/targets/main/backups', { confirm: 'main', label: 'manual' })
    expect((await finished(take.jobId)).status).toBe('succeeded')
    const manual = (await get('/api/targets/main/backups')).find((b: any) => b.label === 'manual')
    expect(manual.scheduled).toBe(false)
    const test = await post(`/api/targets/main/backups/${manual.id}/verify`, { confirm: 'main' })
    expect((await finished(test.jobId)).status).toBe('succeeded')

    const fresh = await get('/api/targets/main/backups/freshness')
    expect(fresh.verifiedFresh).toBe(true)
    expect(fresh.scheduled).toMatchObject({ healthy: false, intervalHours: 24, newest: { id: name, status: 'corrupt' }, newestUsable: null })
    const verdict = await get('/api/targets/main/verdict')
    expect(verdict.newestRestoreTested.id).toBe(manual.id)
    expect(verdict.blockers.map((b: any) => b.key)).not.toContain('fresh-verified-backup')
    expect(verdict.warnings).toEqual([{ key: 'scheduled-backup', page: 'backups', message: expect.stringContaining(`${name}, is corrupt`) }])
    const item = verdict.gate.items.find((i: any) => i.key === 'fresh-verified-backup')
    expect(item.pass).toBe(true)
    expect(item.evidence.detail).toContain(`Warning: The scheduled job's newest file, ${name}, is corrupt`)
    const overview = await get('/api/targets/main/overview')
    expect(overview.backups.scheduledWarning).toContain(name)
  })
})
