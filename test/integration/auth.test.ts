import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../support/db'
import { json } from '../support/http'
import { once } from '../support/once'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

describe('auth, users and the security model', () => {
  let c: ConsoleFixture
  let admin: string
  beforeAll(async () => {
    c = await startConsoleFixture()
    admin = await c.login('admin', c.adminPassword)
  })
  afterAll(async () => { await c?.cleanup() })
  // What later tests (the users list, the audit log) build on: each done once, by the first test that needs it.
  const wrongLogins = once(async () => {
    const responses = []
    for (const body of [{ username: 'admin', password: 'wrong-password' }, { username: 'nobody', password: 'whatever' }]) {
      responses.push(await c.request('/api/auth/login', { method: 'POST', body }))
    }
    return responses
  })
  const throttledMallory = once(async () => {
    await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: 'mallory', password: 'mallory-password-1', role: 'viewer' } })
    const statuses = []
    for (let i = 0; i < 6; i++) {
      statuses.push((await c.request('/api/auth/login', { method: 'POST', body: { username: 'mallory', password: `guess-${i}` } })).status)
    }
    const right = await c.request('/api/auth/login', { method: 'POST', body: { username: 'mallory', password: 'mallory-password-1' } })
    return { statuses, right }
  })
  const createOlga = once(() => c.request('/api/users', { method: 'POST', cookie: admin, body: { username: 'olga', password: 'operator-password', role: 'operator' } }))
  const veraViewer = once(async () => {
    await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: 'vera', password: 'viewer-password', role: 'viewer' } })
    return c.login('vera', 'viewer-password')
  })

  it('answers health without a session', async () => {
    const res = await c.request('/api/health')
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ status: 'ok', version: expect.any(String) })
  })

  it('sets a sealed HttpOnly SameSite=Strict cookie on login and reports the user', async () => {
    const res = await c.request('/api/auth/login', { method: 'POST', body: { username: 'admin', password: c.adminPassword } })
    const cookie = res.headers.getSetCookie().join('\n')
    expect(cookie).toMatch(/dbsafe_session=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    expect(cookie).not.toContain('"userId"')
    const me = await c.request('/api/auth/me', { cookie: admin })
    expect(await json(me)).toMatchObject({ username: 'admin', role: 'admin' })
  })

  it('refuses wrong credentials with 401 and an unknown user alike', async () => {
    for (const res of await wrongLogins()) {
      expect(res.status).toBe(401)
      expect(await json(res)).toEqual({ statusCode: 401, message: 'Wrong username or password' })
    }
  })

  it('rate-limits repeated failures for an account with 429, even with the right password', async () => {
    const { statuses, right } = await throttledMallory()
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
    expect(right.status).toBe(429)
  })

  it('logs out: the old cookie no longer opens a session', async () => {
    const cookie = await c.login('admin', c.adminPassword)
    const out = await c.request('/api/auth/logout', { method: 'POST', cookie })
    const cleared = out.headers.getSetCookie().map((s) => s.split(';')[0]).join('; ')
    expect((await c.request('/api/auth/me', { cookie: cleared })).status).toBe(401)
  })

  it('lets an admin create users, 409 on a taken name, 400 naming the bad field', async () => {
    const created = await createOlga()
    expect(created.status).toBe(201)
    expect(await json(created)).toMatchObject({ username: 'olga', role: 'operator' })
    const again = await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: 'olga', password: 'operator-password', role: 'viewer' } })
    expect(again.status).toBe(409)
    const bad = await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: 'x', password: 'short', role: 'root' } })
    expect(bad.status).toBe(400)
    const body = await json(bad)
    expect(body.message).toContain('password')
    expect(body.message).toContain('role')
    expect(body.data.issues.map((i: { field: string }) => i.field).sort()).toEqual(['password', 'role'])
    const list = await json(await c.request('/api/users', { cookie: admin }))
    expect(list.map((u: { username: string }) => u.username)).toContain('olga')
    expect(JSON.stringify(list)).not.toMatch(/scrypt|password/i)
  })

  it('gives 400, not 500, for a body that is not JSON', async () => {
    const res = await c.request('/api/users', { method: 'POST', cookie: admin, body: '{"username": ', headers: { 'content-type': 'application/json' } })
    expect(res.status).toBe(400)
    expect((await json(res)).message).toMatch(/JSON/)
  })

  it('refuses lower roles with 403', async () => {
    const viewer = await veraViewer()
    expect((await c.request('/api/users', { cookie: viewer })).status).toBe(403)
    const res = await c.request('/api/users', { method: 'POST', cookie: viewer, body: { username: 'eve', password: 'eve-password-123', role: 'admin' } })
    expect(res.status).toBe(403)
    expect((await c.request('/api/targets', { cookie: viewer })).status).toBe(200)
  })

  it('protects the last admin and deletes other users', async () => {
    await createOlga()
    const users = await json(await c.request('/api/users', { cookie: admin }))
    const olga = users.find((u: { username: string }) => u.username === 'olga')
    expect((await c.request(`/api/users/${olga.id}`, { method: 'DELETE', cookie: admin })).status).toBe(200)
    const self = users.find((u: { username: string }) => u.username === 'admin')
    expect((await c.request(`/api/users/${self.id}`, { method: 'DELETE', cookie: admin })).status).toBe(409)
    expect((await c.request('/api/users/abc', { method: 'DELETE', cookie: admin })).status).toBe(400)
  })

  it('refuses a state-changing request from another origin with 403, accepts its own', async () => {
    const foreign = await c.request('/api/auth/logout', { method: 'POST', cookie: admin, headers: { origin: 'https://evil.example' } })
    expect(foreign.status).toBe(403)
    const own = await c.request('/api/auth/logout', { method: 'POST', cookie: await c.login('admin', c.adminPassword), headers: { origin: c.url } })
    expect(own.status).toBe(200)
  })

  it('sends security headers on API, SPA and error responses', async () => {
    for (const path of ['/api/health', '/', '/targets/main/privileges', '/api/nope']) {
      const res = await c.request(path)
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'")
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer')
    }
  })

  it('serves the SPA for deep links and JSON 404 for unknown API paths', async () => {
    const page = await c.request('/targets/main/backups')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain('<div id="app">')
    const api = await c.request('/api/definitely/not/here', { cookie: admin })
    expect(api.status).toBe(404)
    expect(await json(api)).toMatchObject({ statusCode: 404, message: expect.stringContaining('/api/definitely/not/here') })
    expect((await c.request('/assets/missing.js')).status).toBe(404)
  })

  it('records logins and user changes in the audit log, and never a password in it or the log output', async () => {
    await throttledMallory()
    await createOlga()
    await veraViewer()
    const rows = await queryRows(c.consoleDatabaseUrl, 'SELECT actor, action, params::text, outcome FROM audit_log ORDER BY id')
    expect(rows).toContainEqual(expect.objectContaining({ actor: 'admin', action: 'auth.login', outcome: 'ok' }))
    expect(rows).toContainEqual(expect.objectContaining({ actor: 'mallory', action: 'auth.login', outcome: 'throttled' }))
    expect(rows).toContainEqual(expect.objectContaining({ actor: 'admin', action: 'user.create', outcome: 'ok' }))
    const all = JSON.stringify(rows) + c.output()
    for (const secret of [c.adminPassword, 'operator-password', 'viewer-password', 'mallory-password-1']) expect(all).not.toContain(secret)
  })

  it('answers GET /api/audit with filters, newest first, paging back with before, and 400 for a bad filter', async () => {
    await wrongLogins()
    await throttledMallory()
    const failed = await json(await c.request('/api/audit?action=auth.&outcome=refused', { cookie: admin }))
    expect(failed.length).toBeGreaterThanOrEqual(6)
    expect(failed.every((e: any) => e.action === 'auth.login' && e.outcome !== 'ok')).toBe(true)
    const ids = failed.map((e: any) => e.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    const older = await json(await c.request(`/api/audit?action=auth.&outcome=refused&before=${ids[1]}`, { cookie: admin }))
    expect(older[0].id).toBe(ids[2])
    const byActor = await json(await c.request('/api/audit?actor=mallory', { cookie: admin }))
    expect(new Set(byActor.map((e: any) => e.actor))).toEqual(new Set(['mallory']))
    const bad = await c.request('/api/audit?limit=lots', { cookie: admin })
    expect(bad.status).toBe(400)
    expect((await json(bad)).message).toContain('limit')
  })
})
