import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../support/db'
import { json } from '../support/http'
import { once } from '../support/once'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

describe('PUT /api/targets/:target/skip-migrations (guarded)', () => {
  let c: ConsoleFixture
  let admin: string
  let viewer: string
  // A release layout (live/.env -> ../shared/.env) and a read-only env file.
  const root = mkdtempSync(join(tmpdir(), 'dbsafe-toggle-layout-'))
  const shared = join(root, 'shared', '.env')
  const live = join(root, 'live', '.env')
  const locked = join(root, 'locked', '.env')
  beforeAll(async () => {
    for (const d of ['shared', 'live', 'locked']) mkdirSync(join(root, d))
    writeFileSync(shared, 'DB_NAME=app\r\nSKIP_MIGRATIONS=false # paused by hand\r\n')
    symlinkSync('../shared/.env', live)
    writeFileSync(locked, 'SKIP_MIGRATIONS=false\n')
    chmodSync(locked, 0o444)
    const extra = (id: string, envFile: string) => ({ id, label: id, envFile, migrationsDir: '/tmp', backupsDir: '/tmp' })
    c = await startConsoleFixture({ extraTargets: [extra('no-env', '/nonexistent/.env'), extra('linked', live), extra('locked', locked)] })
    admin = await c.login('admin', c.adminPassword)
    await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: 'viv', password: 'viewer-password', role: 'viewer' } })
    viewer = await c.login('viv', 'viewer-password')
  })
  afterAll(async () => { await c?.cleanup() })
  const put = (cookie: string, body: unknown, target = 'main') => c.request(`/api/targets/${target}/skip-migrations`, { method: 'PUT', cookie, body })
  // Each attempt the audit test reads back, made once by the first test that needs it, in file order.
  const refused = once(async () => {
    const before = readFileSync(c.targets[0].envFile, 'utf8')
    const byViewer = await put(viewer, { enabled: false, confirm: 'main' })
    const wrong = await put(admin, { enabled: false, confirm: 'production' })
    const missing = await put(admin, { confirm: 'main' })
    return { before, after: readFileSync(c.targets[0].envFile, 'utf8'), byViewer, wrong, missing }
  })
  const offAndOn = once(async () => {
    const off = await put(admin, { enabled: false, confirm: 'main' })
    const state = await json(await c.request('/api/targets/main/skip-migrations', { cookie: admin }))
    const whileOff = readFileSync(c.targets[0].envFile, 'utf8')
    const on = await json(await put(admin, { enabled: true, confirm: 'main' }))
    return { off, state, whileOff, on }
  })
  const noEnvFile = once(() => put(admin, { enabled: true, confirm: 'no-env' }, 'no-env'))

  it('refuses a viewer with 403 and a wrong confirmation with 400 naming the field, leaving the file alone', async () => {
    const { before, after, byViewer, wrong, missing } = await refused()
    expect(byViewer.status).toBe(403)
    expect(wrong.status).toBe(400)
    expect((await json(wrong)).message).toMatch(/confirm: type the target id "main"/)
    expect(missing.status).toBe(400)
    expect((await json(missing)).message).toMatch(/enabled/)
    expect(after).toBe(before)
  })

  it('turns migrations on and off again, keeping the other lines and a backup of each version', async () => {
    const { off, state, whileOff, on } = await offAndOn()
    expect(off.status).toBe(200)
    expect(await json(off)).toMatchObject({ value: 'false', effective: false })
    expect(state.effective).toBe(false)
    expect(whileOff).toContain(`DB_USER=${c.targets[0].appRole}`)
    expect(on).toMatchObject({ value: 'true', effective: true })
    expect(readdirSync(c.targets[0].dir).filter((f) => f.startsWith('app.env.bak-'))).toHaveLength(2)
    // The console still connects with the rewritten file.
    expect((await json(await c.request('/api/targets/main/overview', { cookie: admin }))).connection.ok).toBe(true)
  })

  it('answers 409 when the env file is missing instead of creating one', async () => {
    const res = await noEnvFile()
    expect(res.status).toBe(409)
    expect((await json(res)).message).toContain('/nonexistent/.env')
  })

  it('audits every attempt, refused or not, with who and the outcome', async () => {
    await refused()
    await offAndOn()
    await noEnvFile()
    const rows = await queryRows(c.consoleDatabaseUrl, "SELECT actor, target, params, outcome FROM audit_log WHERE action = 'skip-migrations.set' AND target IN ('main', 'no-env') ORDER BY id")
    expect(rows.map((r) => [r.actor, r.target, r.outcome.split(':')[0]])).toEqual([
      ['viv', 'main', 'refused 403'], ['admin', 'main', 'refused 400'], ['admin', 'main', 'refused 400'],
      ['admin', 'main', 'ok'], ['admin', 'main', 'ok'], ['admin', 'no-env', 'refused 409'],
    ])
    expect(rows[3].params).toEqual({ enabled: false })
  })

  it('rewrites the file behind a symlinked env file and leaves the link (live/.env -> shared/.env)', async () => {
    const res = await put(admin, { enabled: true, confirm: 'linked' }, 'linked')
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ value: 'true', effective: true, backup: expect.stringContaining(`${shared}.bak-`) })
    expect(lstatSync(live).isSymbolicLink()).toBe(true)
    expect(readlinkSync(live)).toBe('../shared/.env')
    expect(readFileSync(shared, 'utf8')).toBe('DB_NAME=app\r\nSKIP_MIGRATIONS=true # paused by hand\r\n')
    expect(readdirSync(join(root, 'live'))).toEqual(['.env'])
  })

  it('answers 409 with the reason for a read-only env file, changing nothing and leaving no file behind', async () => {
    const res = await put(admin, { enabled: true, confirm: 'locked' }, 'locked')
    expect(res.status).toBe(409)
    const body = await json(res)
    expect(body.message).toContain(`${locked} is read-only (mode 0444)`)
    expect(body.data).toMatchObject({ code: 'not-writable' })
    expect(readFileSync(locked, 'utf8')).toBe('SKIP_MIGRATIONS=false\n')
    expect(statSync(locked).mode & 0o777).toBe(0o444)
    expect(readdirSync(join(root, 'locked'))).toEqual(['.env'])
  })
})
