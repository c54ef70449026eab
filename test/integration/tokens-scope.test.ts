import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiRoutes } from '../support/api-routes'
import { queryRows } from '../support/db'
import { json } from '../support/http'
import { once } from '../support/once'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

const GATE = 'GET /api/targets/main/gate'
// The safety report is the other read-only route a token opens (safety-report.test.ts runs it with one).
const REPORT = 'GET /api/targets/main/report'

describe('API tokens: read-only, the gate, the safety report and /metrics only', () => {
  let c: ConsoleFixture
  let admin: string
  let viewer: string
  let operator: string
  let token: string
  let tokenId: number
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` })
  const gate = (headers: Record<string, string>, phase = 'post', cookie?: string) =>
    c.request(`/api/targets/main/gate?phase=${phase}`, { headers, cookie })

  beforeAll(async () => {
    c = await startConsoleFixture()
    admin = await c.login('admin', c.adminPassword)
    for (const [username, role] of [['tv', 'viewer'], ['to', 'operator']]) {
      await c.request('/api/users', { method: 'POST', cookie: admin, body: { username, password: `${username}-password-12`, role } })
    }
    viewer = await c.login('tv', 'tv-password-12')
    operator = await c.login('to', 'to-password-12')
  })
  afterAll(async () => { await c?.cleanup() })
  // The file's one token (after two refused attempts), and its revocation: each done once, by the first test that needs it.
  const createToken = once(async () => {
    const byOperator = await c.request('/api/tokens', { method: 'POST', cookie: operator, body: { name: 'ci' } })
    const empty = await c.request('/api/tokens', { method: 'POST', cookie: admin, body: { name: '  ' } })
    const res = await c.request('/api/tokens', { method: 'POST', cookie: admin, body: { name: 'CI deploy' } })
    const created = await json(res)
    token = created.token
    tokenId = created.id
    return { byOperator, empty, res, created }
  })
  const revokeToken = once(async () => {
    const { created } = await createToken()
    const byOperator = await c.request(`/api/tokens/${created.id}`, { method: 'DELETE', cookie: operator })
    const first = await c.request(`/api/tokens/${created.id}`, { method: 'DELETE', cookie: admin })
    const again = await c.request(`/api/tokens/${created.id}`, { method: 'DELETE', cookie: admin })
    return { byOperator, first, again }
  })

  it('an admin creates a token, shown once; only its sha256 is stored and the list never shows it', async () => {
    const { byOperator, empty, res, created } = await createToken()
    expect(byOperator.status).toBe(403)
    expect(empty.status).toBe(400)
    expect((await json(empty)).message).toMatch(/name: required/)
    expect(res.status).toBe(201)
    expect(created).toEqual({ id: expect.any(Number), name: 'CI deploy', token: expect.stringMatching(/^dbsafe_[A-Za-z0-9_-]{43}$/) })
    const listText = await (await c.request('/api/tokens', { cookie: admin })).text()
    expect(listText).not.toContain(token.slice(7))
    expect(JSON.parse(listText)).toEqual([expect.objectContaining({ id: tokenId, name: 'CI deploy', scope: 'read', createdBy: 'admin', revokedAt: null })])
    expect((await c.request('/api/tokens', { cookie: viewer })).status).toBe(403)
    const rows = await queryRows(c.consoleDatabaseUrl, 'SELECT token_hash FROM api_tokens')
    expect(rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }])
  })

  it('the token passes the gate: 200 when the phase passes, 412 with the items when it does not', async () => {
    await createToken()
    const post = await gate(bearer(token), 'post')
    expect(post.status).toBe(200)
    const body = await json(post)
    expect(body).toMatchObject({ target: 'main', phase: 'post', pass: true })
    expect(body.items.every((i: any) => i.pass && i.evidence.value && i.evidence.seenAt)).toBe(true)
    const pre = await gate(bearer(token), 'pre')
    expect(pre.status).toBe(412)
    const failing = (await json(pre)).items.filter((i: any) => !i.pass)
    expect(failing.map((i: any) => i.key)).toEqual(['fresh-verified-backup'])
    const badPhase = await gate(bearer(token), 'during')
    expect(badPhase.status).toBe(400)
    expect((await json(badPhase)).message).toMatch(/phase: pre or post/)
  })

  it('a session works on the gate too; nothing at all is 401 like every other route', async () => {
    expect((await gate({}, 'post', viewer)).status).toBe(200)
    const none = await gate({})
    expect(none.status).toBe(401)
    expect(await json(none)).toEqual({ statusCode: 401, message: 'Log in first' })
  })

  it.each([...apiRoutes().filter((r) => ![GATE, REPORT].includes(`${r.method} ${r.path}`) && !r.path.startsWith('/api/health') && r.path !== '/api/auth/login'),
    { method: 'POST', path: '/api/targets/main/backups', file: '(guarded job)' }, { method: 'POST', path: '/api/targets/main/gate', file: '(wrong method)' }])(
    'the token cannot reach $method $path', async (r) => {
      await createToken()
      const res = await c.request(r.path, { method: r.method, headers: bearer(token), body: ['GET', 'DELETE'].includes(r.method) ? undefined : {} })
      expect(res.status).toBe(401)
    })

  it('a wrong or malformed token is refused even beside a valid session', async () => {
    const wrong = await gate(bearer(`dbsafe_${'A'.repeat(43)}`))
    expect(wrong.status).toBe(401)
    expect((await json(wrong)).message).toBe('Invalid or revoked API token')
    expect((await gate(bearer('nonsense'), 'post', viewer)).status).toBe(401)
  })

  it('/metrics answers a token or a session with the gauges, and nobody else', async () => {
    await createToken()
    expect((await c.request('/metrics')).status).toBe(401)
    const res = await c.request('/metrics', { headers: bearer(token) })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await res.text()
    expect(text).toContain('# TYPE dbsafe_target_reachable gauge')
    expect(text).toContain('dbsafe_target_reachable{target="main"} 1')
    expect(text).toContain('dbsafe_newest_verified_backup_age_seconds{target="main"} +Inf')
    expect(text).toContain('dbsafe_migrations_pending{target="main"} 0')
    expect(text).toContain('dbsafe_migrations_drifted{target="main"} 0')
    expect(text).toContain('dbsafe_app_role_unsafe{target="main"} 0')
    expect(text).toMatch(/dbsafe_connections_used_ratio\{target="main"\} 0\.\d+/)
    expect((await c.request('/metrics', { cookie: viewer })).status).toBe(200)
  })

  it('records when a token was last used; a revoked token is refused at once', async () => {
    await createToken()
    await gate(bearer(token))
    const [row] = await json(await c.request('/api/tokens', { cookie: admin }))
    expect(Date.parse(row.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000)
    const { byOperator, first, again } = await revokeToken()
    expect(byOperator.status).toBe(403)
    expect(first.status).toBe(200)
    expect(again.status).toBe(404)
    expect((await gate(bearer(token))).status).toBe(401)
    expect((await c.request('/metrics', { headers: bearer(token) })).status).toBe(401)
    const [revoked] = await json(await c.request('/api/tokens', { cookie: admin }))
    expect(revoked.revokedAt).not.toBeNull()
  })

  it('audits creation and revocation without the token', async () => {
    await revokeToken()
    const rows = await queryRows(c.consoleDatabaseUrl, `SELECT actor, action, params, outcome FROM audit_log WHERE action LIKE 'token.%' ORDER BY id`)
    expect(rows.map((r) => `${r.action} ${r.actor} ${r.outcome.split(':')[0]}`)).toEqual([
      'token.create to refused 403', 'token.create admin refused 400', 'token.create admin ok',
      'token.revoke to refused 403', 'token.revoke admin ok', 'token.revoke admin refused 404',
    ])
    expect(JSON.stringify(rows)).not.toContain(token)
    expect(rows[2].params).toEqual({ name: 'CI deploy', id: tokenId })
  })
})
