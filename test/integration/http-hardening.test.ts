import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiRoutes } from '../support/api-routes'
import { queryRows } from '../support/db'
import { json } from '../support/http'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

/** One request written by hand on a fresh socket; resolves with everything the console sent back. */
function rawRequest(url: string, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1')
    let received = ''
    socket.on('data', (d) => { received += d })
    socket.on('end', () => resolve(received))
    socket.on('error', reject)
    socket.write(`${head}\r\nConnection: close\r\n\r\n`)
  })
}

const headerOf = (response: string, name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(response)?.[1]?.trim()

describe('smaller HTTP faults: bad escapes, refused user changes, the audit log, headers', () => {
  let c: ConsoleFixture
  let admin: string
  let viewer: string
  let operator: string
  beforeAll(async () => {
    c = await startConsoleFixture()
    admin = await c.login('admin', c.adminPassword)
    for (const role of ['viewer', 'operator']) {
      const res = await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: role, password: `${role}-password-long`, role } })
      expect(res.status).toBe(201)
    }
    viewer = await c.login('viewer', 'viewer-password-long')
    operator = await c.login('operator', 'operator-password-long')
  })
  afterAll(async () => { await c?.cleanup() })

  it('answers a malformed percent-escape in a migration name with 400, not 500', async () => {
    const res = await c.request('/api/targets/main/migrations/%E0%A4%A', { cookie: viewer })
    expect(res.status).toBe(400)
    expect(await json(res)).toMatchObject({ statusCode: 400, message: 'Invalid path: name: malformed percent-encoding' })
    // A well-formed escape still decodes to the name it stands for.
    const ok = await c.request('/api/targets/main/migrations/001_%C3%A9t%C3%A9.sql', { cookie: viewer })
    expect(ok.status).toBe(404)
    expect((await json(ok)).message).toContain('"001_été.sql"')
  })

  it('audits refused user changes with the user they asked for', async () => {
    const attempts: [string, { method: string, cookie: string, body?: unknown }, number][] = [
      ['/api/users', { method: 'POST', cookie: admin, body: { username: 'newbie', password: 'short', role: 'viewer' } }, 400],
      ['/api/users', { method: 'POST', cookie: admin, body: { username: 'viewer', password: 'another-long-password', role: 'admin' } }, 409],
      ['/api/users', { method: 'POST', cookie: viewer, body: { username: 'sneaky', password: 'another-long-password', role: 'admin' } }, 403],
      ['/api/users/9999', { method: 'DELETE', cookie: admin }, 404],
    ]
    for (const [path, init, status] of attempts) expect((await c.request(path, init)).status).toBe(status)
    const rows = await queryRows(c.consoleDatabaseUrl, `SELECT actor, action, params, outcome FROM audit_log
      WHERE action LIKE 'user.%' AND outcome <> 'ok' ORDER BY id`)
    expect(rows).toEqual([
      { actor: 'admin', action: 'user.create', params: { username: 'newbie', role: 'viewer' }, outcome: 'refused 400: Invalid body: password: at least 12 characters' },
      { actor: 'admin', action: 'user.create', params: { username: 'viewer', role: 'admin' }, outcome: 'refused 409: User "viewer" already exists' },
      // The role is checked before the body is read: a viewer's body is never looked at.
      { actor: 'viewer', action: 'user.create', params: {}, outcome: 'refused 403: Requires the admin role' },
      { actor: 'admin', action: 'user.delete', params: { id: 9999 }, outcome: 'refused 404: No user with id 9999' },
    ])
  })

  it('keeps the audit log append-only, even for the console\'s own database role', async () => {
    const [{ n }] = await queryRows(c.consoleDatabaseUrl, 'SELECT count(*)::int AS n FROM audit_log')
    expect(n).toBeGreaterThan(0)
    for (const sql of ["UPDATE audit_log SET outcome = 'ok'", 'DELETE FROM audit_log', 'TRUNCATE audit_log', 'DELETE FROM audit_log WHERE false']) {
      await expect(queryRows(c.consoleDatabaseUrl, sql), sql).rejects.toThrow(/audit_log is append-only/)
    }
    expect(await queryRows(c.consoleDatabaseUrl, 'SELECT count(*)::int AS n FROM audit_log')).toEqual([{ n }])
    // Appending still works: the console goes on recording.
    await c.login('admin', c.adminPassword)
    expect(await queryRows(c.consoleDatabaseUrl, 'SELECT count(*)::int AS n FROM audit_log')).toEqual([{ n: n + 1 }])
  })

  it('sends the security headers and applies the session rule to absolute-form request targets', async () => {
    const port = new URL(c.url).port
    const health = await rawRequest(c.url, `GET http://127.0.0.1:${port}/api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}`)
    expect(health).toMatch(/^HTTP\/1\.1 200/)
    expect(headerOf(health, 'content-security-policy')).toContain("frame-ancestors 'none'")
    expect(headerOf(health, 'x-frame-options')).toBe('DENY')
    expect(headerOf(health, 'cache-control')).toBe('no-store')
    const users = await rawRequest(c.url, `GET http://elsewhere.example/api/users HTTP/1.1\r\nHost: 127.0.0.1:${port}`)
    expect(users).toMatch(/^HTTP\/1\.1 401/)
    expect(headerOf(users, 'x-content-type-options')).toBe('nosniff')
    const page = await rawRequest(c.url, `GET http://127.0.0.1:${port}/targets/main HTTP/1.1\r\nHost: 127.0.0.1:${port}`)
    expect(page).toMatch(/^HTTP\/1\.1 200/)
    expect(headerOf(page, 'content-security-policy')).toContain("default-src 'self'")
  })

  it('marks every API answer no-store: successes, refusals and errors', async () => {
    const gets = apiRoutes().filter((r) => r.method === 'GET').map((r) => r.path)
    for (const path of [...gets, '/api/nope']) {
      for (const cookie of [admin, undefined]) {
        const res = await c.request(path, { cookie, signal: AbortSignal.timeout(10_000) } as never)
        expect(res.headers.get('cache-control'), `${path} → ${res.status}`).toBe('no-store')
        await res.body?.cancel()
      }
    }
    const tooBig = await c.request('/api/tokens', { method: 'POST', cookie: admin, body: { name: 'x'.repeat(20_000) } })
    expect(tooBig.status).toBe(413)
    expect(tooBig.headers.get('cache-control')).toBe('no-store')
    // The SPA's own pages keep their caching rule.
    expect((await c.request('/targets/main')).headers.get('cache-control')).toBe('no-cache')
  })

  it('shows the name a failed login tried to admins only', async () => {
    const typo = 'correct-horse-battery'
    const res = await fetch(`${c.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: typo, password: 'x' }) })
    expect(res.status).toBe(401)
    const failed = (entries: any[]) => entries.filter((e) => e.action === 'auth.login' && e.outcome !== 'ok')
    const forAdmin = await json(await c.request('/api/audit?action=auth.login', { cookie: admin }))
    expect(failed(forAdmin).map((e) => e.actor)).toContain(typo)
    expect(await json(await c.request(`/api/audit?actor=${typo}`, { cookie: admin }))).toHaveLength(1)
    for (const cookie of [viewer, operator]) {
      const entries = await json(await c.request('/api/audit?action=auth.login', { cookie }))
      expect(failed(entries).length).toBeGreaterThan(0)
      expect(failed(entries).every((e) => e.actor === null)).toBe(true)
      expect(JSON.stringify(entries)).not.toContain(typo)
      // Nor can the name be guessed by filtering on it.
      expect(await json(await c.request(`/api/audit?actor=${typo}`, { cookie }))).toEqual([])
      // Successful logins keep their names.
      expect(entries.filter((e: any) => e.outcome === 'ok').map((e: any) => e.actor)).toContain('admin')
    }
  })
})
