import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../support/db'
import { json, requestFrom } from '../support/http'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

// Issue 15: an admin changes a user's role and resets a password; every user changes their own password.
// Throttle cases play their client from an address of their own, so the login back-off of one case never touches another.
describe('everyday user management', () => {
  let c: ConsoleFixture
  let admin: string
  beforeAll(async () => {
    c = await startConsoleFixture()
    admin = await c.login('admin', c.adminPassword)
  })
  afterAll(async () => { await c?.cleanup() })

  async function addUser(username: string, password: string, role = 'viewer'): Promise<number> {
    const res = await c.request('/api/users', { method: 'POST', cookie: admin, body: { username, password, role } })
    expect(res.status).toBe(201)
    return (await json(res)).id
  }
  const patch = (cookie: string, id: number, body: unknown) => c.request(`/api/users/${id}`, { method: 'PATCH', cookie, body })
  const me = async (cookie: string) => (await c.request('/api/auth/me', { cookie })).status
  const changeOwn = (cookie: string, body: unknown) => c.request('/api/auth/password', { method: 'POST', cookie, body })
  const auditOf = (action: string) => queryRows(c.consoleDatabaseUrl, `SELECT actor, params, outcome FROM audit_log WHERE action = $1 ORDER BY id`, [action])

  it('an admin changes a role: the user acts with it at once, and the audit says what changed', async () => {
    const id = await addUser('oscar', 'oscar-password-1', 'operator')
    const res = await patch(admin, id, { role: 'viewer' })
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ id, username: 'oscar', role: 'viewer' })
    const oscar = await c.login('oscar', 'oscar-password-1')
    const take = await c.request('/api/targets/main/checklists/runs', { method: 'POST', cookie: oscar, body: { phase: 'pre' } })
    expect(take.status).toBe(403)
    const rows = await auditOf('user.update')
    expect(rows.at(-1)).toMatchObject({ actor: 'admin', outcome: 'ok', params: { id, username: 'oscar', role: 'viewer', changed: ['role'] } })
  })

  it('an admin resets a password: every session of that user ends, the old password stops working, the admin stays logged in', async () => {
    const id = await addUser('petra', 'petra-password-1', 'operator')
    const [laptop, phone] = [await c.login('petra', 'petra-password-1'), await c.login('petra', 'petra-password-1')]
    expect((await patch(admin, id, { password: 'petra-password-2' })).status).toBe(200)
    expect([await me(laptop), await me(phone), await me(admin)]).toEqual([401, 401, 200])
    expect((await c.request('/api/auth/login', { method: 'POST', body: { username: 'petra', password: 'petra-password-1' } })).status).toBe(401)
    expect((await c.request('/api/auth/login', { method: 'POST', body: { username: 'petra', password: 'petra-password-2' } })).status).toBe(200)
    const rows = await auditOf('user.update')
    expect(rows.at(-1)).toMatchObject({ outcome: 'ok', params: { id, username: 'petra', changed: ['password'] } })
    expect(JSON.stringify(rows)).not.toContain('petra-password')
  })

  it('an admin resetting their own password keeps the session they did it from and ends their others', async () => {
    const id = await addUser('quinn', 'quinn-password-1', 'admin')
    const [here, elsewhere] = [await c.login('quinn', 'quinn-password-1'), await c.login('quinn', 'quinn-password-1')]
    expect((await patch(here, id, { password: 'quinn-password-2' })).status).toBe(200)
    expect([await me(here), await me(elsewhere)]).toEqual([200, 401])
  })

  it('a user changes their own password with the current one; other sessions end, this one stays', async () => {
    await addUser('rita', 'rita-password-1')
    const [here, elsewhere] = [await c.login('rita', 'rita-password-1'), await c.login('rita', 'rita-password-1')]
    const short = await changeOwn(here, { currentPassword: 'rita-password-1', newPassword: 'short' })
    expect(short.status).toBe(400)
    expect((await json(short)).message).toMatch(/newPassword: at least 12 characters/)
    const same = await changeOwn(here, { currentPassword: 'rita-password-1', newPassword: 'rita-password-1' })
    expect((await json(same)).message).toMatch(/newPassword: the new password must differ/)
    const wrong = await changeOwn(here, { currentPassword: 'not-ritas-password', newPassword: 'rita-password-2' })
    expect(wrong.status).toBe(400)
    expect(await json(wrong)).toMatchObject({ message: 'Invalid body: currentPassword: not your current password' })
    expect(await me(here)).toBe(200)

    expect((await changeOwn(here, { currentPassword: 'rita-password-1', newPassword: 'rita-password-2' })).status).toBe(200)
    expect([await me(here), await me(elsewhere)]).toEqual([200, 401])
    expect((await c.request('/api/auth/login', { method: 'POST', body: { username: 'rita', password: 'rita-password-2' } })).status).toBe(200)
    expect((await changeOwn('', { currentPassword: 'rita-password-2', newPassword: 'rita-password-3' })).status).toBe(401)

    const rows = await auditOf('auth.password')
    expect(rows.map((r) => `${r.actor} ${r.outcome.split(':')[0]}`)).toEqual(['rita refused 400', 'rita refused 400', 'rita refused 400', 'rita ok'])
    expect(JSON.stringify(rows)).not.toContain('rita-password')
  })

  it('guessing the current password from a stolen session meets the login back-off, which then holds the login too', async () => {
    await addUser('sven', 'sven-password-1')
    const from = '127.0.0.41'
    const login = await requestFrom(from, `${c.url}/api/auth/login`, { method: 'POST', body: { username: 'sven', password: 'sven-password-1' } })
    const cookie = login.headers.getSetCookie()[0].split(';')[0]
    const guess = (currentPassword: string) => requestFrom(from, `${c.url}/api/auth/password`,
      { method: 'POST', headers: { cookie }, body: { currentPassword, newPassword: 'taken-over-password' } })
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await guess(`guess-${i}`)).status)
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429])
    const right = await guess('sven-password-1')
    expect(right.status).toBe(429)
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await json(right)).message).toMatch(/^Too many wrong passwords; try again in \d+ minutes$/)
    const relogin = await requestFrom(from, `${c.url}/api/auth/login`, { method: 'POST', body: { username: 'sven', password: 'sven-password-1' } })
    expect(relogin.status).toBe(429)
    expect((await c.request('/api/auth/login', { method: 'POST', body: { username: 'sven', password: 'sven-password-1' } })).status).toBe(200)
  })
})
