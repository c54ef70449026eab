import { readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startConsoleProcess } from '../support/console'
import { queryRows } from '../support/db'
import { json, requestFrom } from '../support/http'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

// Issue 13, items 1 and 3: login limits under parallel requests, forwarded headers, the lock-out lever,
// revocable sessions and the session secret. Each test plays its clients from its own loopback addresses
// (127.0.0.0/8), so the per-address limits of one test never touch another; 127.0.0.10 is the trusted proxy.
const PROXY = '127.0.0.10'

describe('login limits and sessions under attack', () => {
  let c: ConsoleFixture
  let admin: string
  beforeAll(async () => {
    c = await startConsoleFixture({ config: { trustedProxies: [PROXY, '::1'] } })
    admin = await c.login('admin', c.adminPassword)
  })
  afterAll(async () => { await c?.cleanup() })

  const login = (from: string, username: string, password: string, headers?: Record<string, string>) =>
    requestFrom(from, `${c.url}/api/auth/login`, { method: 'POST', body: { username, password }, headers })
  const count = (responses: Response[], status: number) => responses.filter((r) => r.status === status).length
  async function addUser(username: string, password: string, role = 'viewer'): Promise<number> {
    const res = await c.request('/api/users', { method: 'POST', cookie: admin, body: { username, password, role } })
    expect(res.status).toBe(201)
    return (await json(res)).id
  }

  it('checks at most 5 of 400 simultaneous wrong passwords for one account from one address', async () => {
    await addUser('paula', 'paula-password-1')
    const responses = await Promise.all(Array.from({ length: 400 }, (_, i) => login('127.0.0.2', 'paula', `wrong-${i}`)))
    expect(count(responses, 401)).toBe(5)
    expect(count(responses, 429)).toBe(395)
    const refused = responses.find((r) => r.status === 429)!
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await json(refused)).message).toMatch(/^Too many failed logins; try again in \d+ (seconds|minutes)$/)
  })

  it('does not log in the right password sent after a burst of 99 wrong ones', async () => {
    await addUser('quinn', 'quinn-password-1')
    const wrong = Array.from({ length: 99 }, (_, i) => login('127.0.0.3', 'quinn', `wrong-${i}`))
    const right = login('127.0.0.3', 'quinn', 'quinn-password-1')
    const responses = await Promise.all([...wrong, right])
    expect((await right).status).toBe(429)
    expect(responses.length - count(responses, 429)).toBeLessThanOrEqual(5)
  })

  it('lets the owner in from an address they used before while attackers keep the account backing off', async () => {
    await addUser('rita', 'rita-password-1')
    expect((await login('127.0.0.6', 'rita', 'rita-password-1')).status).toBe(200)
    // Two attacking addresses spend their 5 free guesses each: 10 failures put the account itself in back-off.
    for (const from of ['127.0.0.4', '127.0.0.5']) {
      const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => login(from, 'rita', `guess-${i}`)))
      expect(count(responses, 401)).toBe(5)
    }
    expect((await login('127.0.0.5', 'rita', 'rita-password-1')).status).toBe(429)
    expect((await login('127.0.0.7', 'rita', 'rita-password-1')).status).toBe(429)
    expect((await login('127.0.0.6', 'rita', 'wrong-from-home')).status).toBe(401)
    const home = await login('127.0.0.6', 'rita', 'rita-password-1')
    expect(home.status).toBe(200)
    expect(await json(home)).toMatchObject({ username: 'rita' })
  })

  it('ignores X-Forwarded-For from an untrusted peer: no way around the address limit, no locking out another address', async () => {
    const rotating = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      login('127.0.0.8', `spray-a${i}`, 'guess', { 'x-forwarded-for': `198.51.100.${i}` })))
    expect(count(rotating, 401)).toBe(30)
    expect(count(rotating, 429)).toBe(10)
    // An attacker naming the victim's address in the header spends only its own address's budget.
    const framing = await Promise.all(Array.from({ length: 35 }, (_, i) =>
      login('127.0.0.11', `spray-b${i}`, 'guess', { 'x-forwarded-for': '127.0.0.9' })))
    expect(count(framing, 401)).toBe(30)
    await addUser('sam', 'sam-password-12')
    expect((await login('127.0.0.9', 'sam', 'sam-password-12')).status).toBe(200)
  })

  it('believes X-Forwarded-For from the trusted proxy, up to the hop the proxy itself saw', async () => {
    await addUser('tara', 'tara-password-1')
    const viaProxy = (xff: string, password: string) => login(PROXY, 'tara', password, { 'x-forwarded-for': xff })
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await viaProxy('203.0.113.1', `guess-${i}`)).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
    // The client wrote "203.0.113.2" itself; the proxy appended the address it saw, which is still held.
    expect((await viaProxy('203.0.113.2, 203.0.113.1', 'tara-password-1')).status).toBe(429)
    expect((await viaProxy('203.0.113.2', 'tara-password-1')).status).toBe(200)
  })

  it('believes X-Forwarded-Proto and -Host only from the trusted proxy', async () => {
    await addUser('ursula', 'ursula-password')
    const https = { 'x-forwarded-proto': 'https' }
    expect((await login(PROXY, 'ursula', 'ursula-password', https)).headers.getSetCookie()[0]).toMatch(/;\s*Secure/i)
    expect((await login('127.0.0.12', 'ursula', 'ursula-password', https)).headers.getSetCookie()[0]).not.toMatch(/Secure/i)
    const forwarded = { ...https, 'x-forwarded-host': 'console.example', 'origin': 'https://console.example' }
    expect((await login(PROXY, 'ursula', 'ursula-password', forwarded)).status).toBe(200)
    expect((await login('127.0.0.12', 'ursula', 'ursula-password', forwarded)).status).toBe(403)
  })

  it('ends the session on logout: a copied cookie stops working', async () => {
    await addUser('vince', 'vince-password-1')
    const cookie = await c.login('vince', 'vince-password-1')
    const copy = cookie
    expect((await c.request('/api/auth/me', { cookie: copy })).status).toBe(200)
    expect((await c.request('/api/auth/logout', { method: 'POST', cookie })).status).toBe(200)
    expect((await c.request('/api/auth/me', { cookie: copy })).status).toBe(401)
  })

  it('ends every session of a user whose role or password an admin changes', async () => {
    const id = await addUser('wanda', 'wanda-password-1', 'operator')
    const [laptop, phone] = [await c.login('wanda', 'wanda-password-1'), await c.login('wanda', 'wanda-password-1')]
    const demoted = await c.request(`/api/users/${id}`, { method: 'PATCH', cookie: admin, body: { role: 'viewer' } })
    expect(demoted.status).toBe(200)
    expect(await json(demoted)).toMatchObject({ username: 'wanda', role: 'viewer' })
    for (const cookie of [laptop, phone]) expect((await c.request('/api/auth/me', { cookie })).status).toBe(401)
    const fresh = await c.login('wanda', 'wanda-password-1')
    expect(await json(await c.request('/api/auth/me', { cookie: fresh }))).toMatchObject({ role: 'viewer' })

    expect((await c.request(`/api/users/${id}`, { method: 'PATCH', cookie: admin, body: { password: 'wanda-password-2' } })).status).toBe(200)
    expect((await c.request('/api/auth/me', { cookie: fresh })).status).toBe(401)
    expect((await c.request('/api/auth/login', { method: 'POST', body: { username: 'wanda', password: 'wanda-password-1' } })).status).toBe(401)
    expect((await c.request('/api/auth/login', { method: 'POST', body: { username: 'wanda', password: 'wanda-password-2' } })).status).toBe(200)
    const rows = await queryRows(c.consoleDatabaseUrl, `SELECT params::text FROM audit_log WHERE action = 'user.update'`)
    expect(rows).toHaveLength(2)
    expect(JSON.stringify(rows)).not.toContain('wanda-password')
  })

  it('refuses an empty change (400), an unknown user (404) and demoting the last admin (409)', async () => {
    const adminId = (await json(await c.request('/api/auth/me', { cookie: admin }))).id
    expect((await c.request(`/api/users/${adminId}`, { method: 'PATCH', cookie: admin, body: {} })).status).toBe(400)
    expect((await c.request('/api/users/999999', { method: 'PATCH', cookie: admin, body: { role: 'viewer' } })).status).toBe(404)
    const last = await c.request(`/api/users/${adminId}`, { method: 'PATCH', cookie: admin, body: { role: 'viewer' } })
    expect(last.status).toBe(409)
    expect((await c.request('/api/auth/me', { cookie: admin })).status).toBe(200)
  })

  // Last in the file: it restarts the console.
  it('keeps the session secret in a 0600 file next to the config, not in the console database, reused after a restart', async () => {
    const file = join(dirname(c.env.DBSAFE_CONFIG), '.dbsafe-session-secret')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const secret = readFileSync(file, 'utf8')
    expect(secret.trim().length).toBeGreaterThanOrEqual(32)
    expect(await queryRows(c.consoleDatabaseUrl, `SELECT key FROM settings WHERE key = 'session_secret'`)).toEqual([])
    expect(c.output()).not.toContain(secret.trim())

    const cookie = await c.login('admin', c.adminPassword)
    await c.stop()
    const again = await startConsoleProcess(c.env)
    try {
      expect((await fetch(`${again.url}/api/auth/me`, { headers: { cookie } })).status).toBe(200)
      expect(readFileSync(file, 'utf8')).toBe(secret)
    } finally {
      await again.stop()
    }
  })
})
