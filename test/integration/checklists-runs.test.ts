import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json } from '../support/http'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

describe('checklist runs over HTTP', () => {
  let c: ConsoleFixture
  let admin: string
  let operator: string
  let viewer: string
  const runs = (t = 'main') => `/api/targets/${t}/checklists/runs`
  const start = (cookie: string, phase: unknown) => c.request(runs(), { method: 'POST', cookie, body: { phase } })
  const tick = (cookie: string, run: number, item: string, body: unknown) => c.request(`${runs()}/${run}/items/${item}`, { method: 'PUT', cookie, body })
  const signOff = (cookie: string, run: number, body: unknown) => c.request(`${runs()}/${run}/signoff`, { method: 'POST', cookie, body })
  let preId: number
  let postId: number

  beforeAll(async () => {
    c = await startConsoleFixture({ targets: ['main', 'other'] })
    admin = await c.login('admin', c.adminPassword)
    for (const [username, role] of [['otto', 'operator'], ['vic', 'viewer']]) {
      await c.request('/api/users', { method: 'POST', cookie: admin, body: { username, password: `${username}-password-1`, role } })
    }
    operator = await c.login('otto', 'otto-password-1')
    viewer = await c.login('vic', 'vic-password-1')
  })
  afterAll(async () => { await c?.cleanup() })

  it('lists both templates for any session', async () => {
    const templates = await json(await c.request('/api/targets/main/checklists/templates', { cookie: viewer }))
    expect(templates.map((t: any) => t.phase)).toEqual(['pre', 'post'])
    expect(templates[0].items.find((i: any) => i.key === 'fresh-verified-backup')).toMatchObject({ kind: 'auto', params: { maxAgeHours: 24 } })
  })

  it('refuses a viewer and a bad phase; an operator starts a pre-deploy run with auto items already evaluated', async () => {
    expect((await start(viewer, 'pre')).status).toBe(403)
    const bad = await start(operator, 'during')
    expect(bad.status).toBe(400)
    expect((await json(bad)).message).toMatch(/phase: pre or post/)
    const res = await start(operator, 'pre')
    expect(res.status).toBe(201)
    const run = await json(res)
    preId = run.id
    expect(run).toMatchObject({ target: 'main', phase: 'pre', status: 'open', startedBy: 'otto' })
    const byKey = Object.fromEntries(run.items.map((i: any) => [i.key, i]))
    expect(byKey['skip-migrations']).toMatchObject({ kind: 'auto', status: 'pass', checkedBy: 'otto' })
    expect(byKey['skip-migrations'].evidence.value).toMatch(/SKIP_MIGRATIONS="true"/)
    expect(byKey['fresh-verified-backup']).toMatchObject({ status: 'fail', evidence: { value: 'no verified backup (no backups)' } })
    expect(byKey['rollback-plan']).toMatchObject({ kind: 'manual', status: 'pending', evidence: null })
    expect(run.total).toBe(run.items.length)
  })

  it('ticks a manual item with a note (who and when recorded); refuses auto items, unknown items and viewers', async () => {
    const res = await tick(operator, preId, 'rollback-plan', { done: true, note: '  restore db_backup_x, see wiki/rollback  ' })
    expect(res.status).toBe(200)
    const item = (await json(res)).items.find((i: any) => i.key === 'rollback-plan')
    expect(item).toMatchObject({ status: 'pass', note: 'restore db_backup_x, see wiki/rollback', checkedBy: 'otto' })
    expect(Date.parse(item.checkedAt)).toBeGreaterThan(Date.now() - 60_000)
    const untick = await json(await tick(operator, preId, 'rollback-plan', { done: false }))
    expect(untick.items.find((i: any) => i.key === 'rollback-plan')).toMatchObject({ status: 'pending', note: null })
    expect((await tick(operator, preId, 'no-drift', { done: true })).status).toBe(409)
    expect((await tick(operator, preId, 'no-such-item', { done: true })).status).toBe(404)
    expect((await tick(viewer, preId, 'rollback-plan', { done: true })).status).toBe(403)
    const bad = await tick(operator, preId, 'rollback-plan', { done: 'yes' })
    expect(bad.status).toBe(400)
    expect((await json(bad)).message).toMatch(/done/)
  })

  it('keeps runs to their target and validates the run id', async () => {
    expect((await c.request(`${runs('other')}/${preId}`, { cookie: viewer })).status).toBe(404)
    const bad = await c.request(`${runs()}/abc`, { cookie: viewer })
    expect(bad.status).toBe(400)
    expect((await json(bad)).message).toMatch(/run: a run id/)
  })

  it('completes a post-deploy run by itself once every item passes, then keeps it as a record', async () => {
    const run = await json(await start(operator, 'post'))
    postId = run.id
    const auto = run.items.filter((i: any) => i.kind === 'auto')
    expect(auto.filter((i: any) => i.status !== 'pass').map((i: any) => [i.key, i.evidence.value])).toEqual([])
    const manual = run.items.filter((i: any) => i.kind === 'manual')
    let last: any
    for (const [n, item] of manual.entries()) {
      last = await json(await tick(operator, postId, item.key, { done: true }))
      expect(last.status).toBe(n === manual.length - 1 ? 'passed' : 'open')
    }
    expect(last).toMatchObject({ status: 'passed', passing: last.total })
    expect(last.completedAt).not.toBeNull()
    expect((await tick(operator, postId, manual[0].key, { done: false })).status).toBe(409)
    expect((await c.request(`${runs()}/${postId}/evaluate`, { method: 'POST', cookie: operator, body: {} })).status).toBe(409)
  })

  it('re-evaluates an open run on demand', async () => {
    const res = await c.request(`${runs()}/${preId}/evaluate`, { method: 'POST', cookie: operator, body: {} })
    expect(res.status).toBe(200)
    expect((await json(res)).items.find((i: any) => i.key === 'reachable')).toMatchObject({ status: 'pass' })
    expect((await c.request(`${runs()}/${preId}/evaluate`, { method: 'POST', cookie: viewer, body: {} })).status).toBe(403)
  })

  it('sign-off: admin only, with a reason of 10+ characters and the typed target id', async () => {
    expect((await signOff(operator, preId, { reason: 'backup taken by hand at 09:00', confirm: 'main' })).status).toBe(403)
    const short = await signOff(admin, preId, { reason: 'ok', confirm: 'main' })
    expect(short.status).toBe(400)
    expect((await json(short)).message).toMatch(/reason: at least 10 characters/)
    const wrong = await signOff(admin, preId, { reason: 'backup taken by hand at 09:00', confirm: 'other' })
    expect(wrong.status).toBe(400)
    expect((await json(wrong)).message).toMatch(/confirm/)
    const res = await signOff(admin, preId, { reason: 'backup taken by hand at 09:00', confirm: 'main' })
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ status: 'signed-off', signedOffBy: 'admin', signOffReason: 'backup taken by hand at 09:00' })
    expect((await signOff(admin, preId, { reason: 'backup taken by hand at 09:00', confirm: 'main' })).status).toBe(409)
  })

  it('lists the history newest first with counts', async () => {
    const history = await json(await c.request(runs(), { cookie: viewer }))
    expect(history.map((r: any) => [r.id, r.phase, r.status])).toEqual([[postId, 'post', 'passed'], [preId, 'pre', 'signed-off']])
    expect(history[0].passing).toBe(history[0].total)
    expect(await json(await c.request(runs('other'), { cookie: viewer }))).toEqual([])
  })

  it('audits every action, refusals included', async () => {
    const db = new pg.Client(c.consoleDatabaseUrl)
    await db.connect()
    const { rows } = await db.query(`SELECT actor, action, params, outcome FROM audit_log WHERE action LIKE 'checklist.%' ORDER BY id`)
    await db.end()
    const summary = rows.map((r) => `${r.action} ${r.actor} ${r.outcome.split(':')[0]}`)
    expect(summary.slice(0, 3)).toEqual(['checklist.start vic refused 403', 'checklist.start otto refused 400', 'checklist.start otto ok'])
    expect(summary).toContain('checklist.tick vic refused 403')
    expect(summary).toContain('checklist.tick otto refused 409')
    expect(summary.filter((s) => s.startsWith('checklist.signoff'))).toEqual([
      'checklist.signoff otto refused 403', 'checklist.signoff admin refused 400', 'checklist.signoff admin refused 400',
      'checklist.signoff admin ok', 'checklist.signoff admin refused 409',
    ])
    expect(rows.find((r) => r.action === 'checklist.tick' && r.outcome === 'ok')!.params)
      .toEqual({ run: preId, item: 'rollback-plan', done: true, note: 'restore db_backup_x, see wiki/rollback', status: 'open' })
    expect(rows.find((r) => r.action === 'checklist.signoff' && r.outcome === 'ok')!.params).toEqual({ run: preId, reason: 'backup taken by hand at 09:00' })
  })
})
