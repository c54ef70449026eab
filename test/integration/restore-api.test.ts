import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readEnvFile } from '~server/envfile/read'
import { cluster } from '../support/db'
import { loginCookie, startConsoleProcess } from '../support/console'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'
import { jobsOverHttp, waitForJob } from '../support/jobs'
import { createRestoreFixture, type RestoreFixture } from '../support/restore-fixture'

const ROWS = 20_000
const STEPS = ['preflight', 'skip-migrations', 'safety-backup', 'restore', 'counts', 'privileges', 'swap']

describe('emergency restore over HTTP', () => {
  let fx: RestoreFixture
  let c: ConsoleFixture
  let admin: string
  // A restore of a real database (with its safety backup) takes seconds, more on a busy machine.
  const finished = (jobId: number) => waitForJob(jobsOverHttp((path) => c.request(path, { cookie: admin })), jobId, { timeoutMs: 120_000 })
  let operator: string
  let viewer: string
  let backupId: string
  let stamp: string

  beforeAll(async () => {
    fx = await createRestoreFixture(ROWS)
    c = await startConsoleFixture({
      targets: [],
      extraTargets: [
        fx.target,
        // The same database, with restores that would run as the superuser, and with no emergency restore at all.
        { ...fx.target, id: 'unsafe', label: 'Unsafe', restoreDatabaseUrl: cluster().adminUrl, restoreTestUrl: cluster().adminUrl },
        { ...fx.target, id: 'plain', label: 'Plain', restoreDatabaseUrl: undefined },
      ],
    })
    admin = await c.login('admin', c.adminPassword)
    for (const [u, role] of [['olga', 'operator'], ['vic', 'viewer']]) {
      await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: u, password: `${u}-password-1`, role } })
    }
    operator = await c.login('olga', 'olga-password-1')
    viewer = await c.login('vic', 'vic-password-1')
    const take = await c.request('/api/targets/main/backups', { method: 'POST', cookie: operator, body: { confirm: 'main', label: 'before the incident' } })
    expect((await finished((await json(take)).jobId)).status).toBe('succeeded')
    backupId = (await json(await c.request('/api/targets/main/backups', { cookie: viewer })))[0].id
    // What the backup is restored over: rows lost after it was taken.
    await fx.query('DELETE FROM public.things WHERE id <= 500')
  }, 120_000)
  afterAll(async () => {
    await c?.cleanup()
    await fx?.cleanup()
  })

  const restore = (cookie: string, body: unknown, target = 'main', id = backupId) =>
    c.request(`/api/targets/${target}/backups/${encodeURIComponent(id)}/restore`, { method: 'POST', cookie, body })
  const leftovers = async (target = 'main') => json(await c.request(`/api/targets/${target}/restore/leftovers`, { cookie: viewer }))
  const count = async () => (await fx.query<{ n: number }>('SELECT count(*)::int AS n FROM public.things'))[0].n
  const jobsOf = async (target: string) => json(await c.request(`/api/jobs?target=${target}`, { cookie: admin }))

  it('lists no leftovers yet, and says why a target has no emergency restore', async () => {
    expect(await leftovers()).toEqual({ available: true, database: fx.database, role: fx.restoreRole, busy: false, leftovers: [] })
    expect(await leftovers('plain')).toMatchObject({ available: false, code: 'no-restore-url', reason: expect.stringContaining('has no restoreDatabaseUrl') })
  })

  it('is for admins only, wants the target id typed, and an existing backup', async () => {
    expect((await restore(viewer, { confirm: 'main' })).status).toBe(403)
    expect((await restore(operator, { confirm: 'main' })).status).toBe(403)
    const wrong = await restore(admin, { confirm: 'production' })
    expect(wrong.status).toBe(400)
    expect(await json(wrong)).toMatchObject({ message: expect.stringContaining('confirm'), data: { issues: [{ field: 'confirm' }] } })
    expect((await restore(admin, {})).status).toBe(400)
    expect((await restore(admin, { confirm: 'main' }, 'main', 'nope.dump')).status).toBe(404)
    expect(await jobsOf('main')).toHaveLength(1)
  })

  it('refuses an unsafe restore role with 409, the reason and the SQL, before any job', async () => {
    const res = await restore(admin, { confirm: 'unsafe' }, 'unsafe')
    expect(res.status).toBe(409)
    const body = await json(res)
    expect(body.message).toMatch(/Refusing to restore as "postgres".*is a superuser.*restoreDatabaseUrl/)
    expect(body.data).toMatchObject({ code: 'unsafe-restore-role', sql: expect.stringContaining('CREATE ROLE dbsafe_restore LOGIN CREATEDB') })
    const none = await restore(admin, { confirm: 'plain' }, 'plain')
    expect(none.status).toBe(409)
    expect((await json(none)).message).toContain('has no restoreDatabaseUrl')
    // Verify refuses the same way at request time, instead of a job that fails.
    const verify = await c.request(`/api/targets/unsafe/backups/${backupId}/verify`, { method: 'POST', cookie: operator, body: {} })
    expect(verify.status).toBe(409)
    expect((await json(verify)).data.sql).toContain('CREATE ROLE dbsafe_restore')
    expect(await jobsOf('unsafe')).toEqual([])
    expect(readEnvFile(fx.target.envFile).values.SKIP_MIGRATIONS).toBe('false')
  })

  it('restores as an admin: a job with every step, one restore at a time, audited step by step', async () => {
    const res = await restore(admin, { confirm: 'main' })
    expect(res.status).toBe(202)
    const { jobId } = await json(res)
    const second = await restore(admin, { confirm: 'main' })
    expect(second.status).toBe(409)
    const busy = await json(second)
    expect(busy.message).toMatch(/already running/)
    expect(busy.data.jobId).toBe(jobId)
    const job = await finished(jobId)
    expect(job).toMatchObject({ kind: 'restore.emergency', status: 'succeeded', createdBy: 'admin', params: { backup: backupId, database: fx.database } })
    stamp = job.result.stamp
    expect(job.result).toMatchObject({ ok: true, comparedWith: 'manifest', setAside: `${fx.database}_before_restore_${stamp}`, skipMigrations: { changed: true } })
    expect(job.result.steps.map((s: any) => [s.step, s.status])).toEqual(STEPS.map((s) => [s, 'ok']))
    expect(job.log.map((l: any) => l.line).join('\n')).toMatch(/step 7\/7 swap/)
    expect(job.progress).toMatchObject({ done: 7, total: 7, message: `restored; the previous database is kept as "${job.result.setAside}"` })
    expect(await count()).toBe(ROWS)
    expect(readEnvFile(fx.target.envFile).values.SKIP_MIGRATIONS).toBe('true')

    const audit = async (action: string) => (await json(await c.request(`/api/audit?target=main&action=${action}`, { cookie: admin })))
      .filter((e: any) => e.action === action)
    const [refused, started] = await audit('restore.emergency')
    expect(refused.outcome).toMatch(/^refused 409: .*already running/)
    expect(started).toMatchObject({ actor: 'admin', outcome: 'ok', params: { backup: backupId, jobId } })
    for (const step of STEPS) {
      expect(await audit(`restore.emergency.${step}`), step).toEqual([expect.objectContaining({ actor: 'admin', outcome: 'ok', params: expect.objectContaining({ backup: backupId, stamp }) })])
    }
    await expect.poll(() => audit('restore.emergency.finished')).toEqual([expect.objectContaining({ outcome: 'ok', params: { jobId } })])
    expect((await leftovers()).leftovers).toEqual([expect.objectContaining({ name: `${fx.database}_before_restore_${stamp}`, kind: 'before_restore', stamp, sessions: 0 })])
  }, 120_000)

  it('a restore that fails keeps its result on the job: how far it got, and the live database untouched', async () => {
    const copy = 'db_backup_20260101_030000.dump'
    const dir = fx.target.backupsDir
    writeFileSync(join(dir, copy), readFileSync(join(dir, backupId)))
    const manifest = JSON.parse(readFileSync(join(dir, `${backupId}.manifest.json`), 'utf8'))
    manifest.tables.find((t: { name: string }) => t.name === 'things').rows += 1
    writeFileSync(join(dir, `${copy}.manifest.json`), JSON.stringify({ ...manifest, file: copy }))
    await fx.query(`INSERT INTO public.things (name) VALUES ('written after the restore')`)
    const res = await restore(admin, { confirm: 'main' }, 'main', copy)
    expect(res.status).toBe(202)
    const job = await finished((await json(res)).jobId)
    expect(job.status).toBe('failed')
    expect(job.error).toMatch(/does not match the manifest/)
    expect(job.progress.message).toBe('failed; the live database was not changed')
    expect(job.result).toMatchObject({ ok: false, backup: copy, setAside: null, error: job.error })
    expect(job.result.steps.map((s: any) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'failed', 'not-run', 'not-run'])
    expect(await count()).toBe(ROWS + 1)
    const audit = await json(await c.request('/api/audit?target=main&action=restore.emergency.counts', { cookie: admin }))
    expect(audit[0].outcome).toMatch(/^failed: The restored database does not match the manifest/)
  }, 120_000)

  it('undoes a restore over HTTP: admin only, typed, a valid stamp of a real restore', async () => {
    const undo = (cookie: string, body: unknown) => c.request('/api/targets/main/restore/undo', { method: 'POST', cookie, body })
    expect((await undo(operator, { stamp, confirm: 'main' })).status).toBe(403)
    const bad = await undo(admin, { stamp: 'yesterday', confirm: 'main' })
    expect(bad.status).toBe(400)
    expect((await json(bad)).data.issues).toEqual([expect.objectContaining({ field: 'stamp' })])
    expect((await undo(admin, { stamp, confirm: 'mian' })).status).toBe(400)
    expect((await undo(admin, { stamp: '19990101_000000', confirm: 'main' })).status).toBe(404)
    const res = await undo(admin, { stamp, confirm: 'main' })
    expect(res.status).toBe(202)
    const job = await finished((await json(res)).jobId)
    expect(job).toMatchObject({ kind: 'restore.undo', status: 'succeeded', result: { broughtBack: `${fx.database}_before_restore_${stamp}`, setAside: `${fx.database}_restored_${stamp}` } })
    expect(await count()).toBe(ROWS - 500)
    expect((await leftovers()).leftovers.map((l: any) => l.name)).toEqual([`${fx.database}_restored_${stamp}`])
    expect((await undo(admin, { stamp, confirm: 'main' })).status).toBe(404)
  }, 60_000)

  it('drops a leftover over HTTP: admin only, typed, by its exact name', async () => {
    const name = `${fx.database}_restored_${stamp}`
    const drop = (cookie: string, leftover: string, body: unknown) =>
      c.request(`/api/targets/main/restore/leftovers/${encodeURIComponent(leftover)}/drop`, { method: 'POST', cookie, body })
    expect((await drop(operator, name, { confirm: 'main' })).status).toBe(403)
    expect((await drop(admin, name, { confirm: 'nope' })).status).toBe(400)
    const notLeftover = await drop(admin, fx.database, { confirm: 'main' })
    expect(notLeftover.status).toBe(400)
    expect((await json(notLeftover)).data.issues).toEqual([expect.objectContaining({ field: 'name' })])
    expect((await drop(admin, `${fx.database}_before_restore_${stamp}`, { confirm: 'main' })).status).toBe(404)
    const res = await drop(admin, name, { confirm: 'main' })
    expect(res.status).toBe(202)
    const job = await finished((await json(res)).jobId)
    expect(job).toMatchObject({ kind: 'restore.drop', status: 'succeeded', params: { name, kind: 'restored' }, result: { dropped: name } })
    expect((await leftovers()).leftovers).toEqual([])
    expect(await count()).toBe(ROWS - 500)
  }, 60_000)

  // Last in the file: it kills this file's console.
  it('a console killed mid-restore leaves the live database serving its old data, an interrupted job and a copy to drop', async () => {
    const before = await count()
    const res = await restore(admin, { confirm: 'main' })
    expect(res.status).toBe(202)
    const { jobId } = await json(res)
    const copies = () => fx.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${fx.database}_restore_%`], 'postgres')
    for (let i = 0; i < 1000 && !(await copies()).length; i++) await new Promise((r) => setTimeout(r, 10))
    expect((await copies()).length).toBe(1)
    await c.crash()
    const again = await startConsoleProcess(c.env)
    try {
      const cookie = await loginCookie(again.url, 'admin', c.adminPassword)
      const get = (path: string, init: { method?: string, body?: unknown } = {}) =>
        fetch(again.url + path, { method: init.method ?? 'GET', headers: { cookie, 'content-type': 'application/json', 'origin': again.url }, body: init.body ? JSON.stringify(init.body) : undefined })
      const job = await waitForJob(jobsOverHttp((path) => get(path)), jobId)
      expect(job.status).toBe('interrupted')
      expect(await count()).toBe(before)
      const copy = (await copies())[0].datname
      const listed = await json(await get('/api/targets/main/restore/leftovers'))
      expect(listed.leftovers).toEqual([expect.objectContaining({ name: copy, kind: 'restore' })])
      // pg_restore may still be writing into the copy after its console died: drop it once it has let go.
      let dropped: any = null
      for (let i = 0; i < 60 && dropped?.status !== 'succeeded'; i++) {
        const drop = await get(`/api/targets/main/restore/leftovers/${encodeURIComponent(copy)}/drop`, { method: 'POST', body: { confirm: 'main' } })
        dropped = drop.status === 202 ? await waitForJob(jobsOverHttp((path) => get(path)), (await json(drop)).jobId) : null
        if (dropped?.status !== 'succeeded') await new Promise((r) => setTimeout(r, 500))
      }
      expect(dropped?.status).toBe('succeeded')
      expect(await copies()).toEqual([])
      expect(await count()).toBe(before)
    } finally {
      await again.stop()
    }
  }, 120_000)
})
