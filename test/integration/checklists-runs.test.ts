import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../support/db'
import { json } from '../support/http'
import { once } from '../support/once'
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
    operator = await c.signInAs('otto', 'operator')
    viewer = await c.signInAs('vic', 'viewer')
  })
  afterAll(async () => { await c?.cleanup() })
  // The file's two runs and what is done to them, each done once by the first test that needs it.
  const preRun = once(async () => {
    const byViewer = await start(viewer, 'pre')
    const bad = await start(operator, 'during')
    const res = await start(operator, 'pre')
    const run = await json(res)
    preId = run.id
    return { byViewer, bad, res, run }
  })
  const preTicks = once(async () => {
    await preRun()
    const res = await tick(operator, preId, 'rollback-plan', { done: true, note: '  restore db_backup_x, see wiki/rollback  ' })
    const untick = await json(await tick(operator, preId, 'rollback-plan', { done: false }))
    const autoItem = await tick(operator, preId, 'no-drift', { done: true })
    const unknownItem = await tick(operator, preId, 'no-such-item', { done: true })
    const byViewer = await tick(viewer, preId, 'rollback-plan', { done: true })
    const bad = await tick(operator, preId, 'rollback-plan', { done: 'yes' })
    return { res, untick, autoItem, unknownItem, byViewer, bad }
  })
  const postRun = once(async () => {
    const run = await json(await start(operator, 'post'))
    postId = run.id
    const manual = run.items.filter((i: any) => i.kind === 'manual')
    const ticked = []
    for (const item of manual) ticked.push(await json(await tick(operator, postId, item.key, { done: true })))
    return { run, manual, ticked }
  })
  const preSignOffs = once(async () => {
    await preRun()
    const byOperator = await signOff(operator, preId, { reason: 'backup taken by hand at 09:00', confirm: 'main' })
    const short = await signOff(admin, preId, { reason: 'ok', confirm: 'main' })
    const wrong = await signOff(admin, preId, { reason: 'backup taken by hand at 09:00', confirm: 'other' })
    const res = await signOff(admin, preId, { reason: 'backup taken by hand at 09:00', confirm: 'main' })
    const again = await signOff(admin, preId, { reason: 'backup taken by hand at 09:00', confirm: 'main' })
    return { byOperator, short, wrong, res, again }
  })

  it('lists both templates for any session', async () => {
    const templates = await json(await c.request('/api/targets/main/checklists/templates', { cookie: viewer }))
    expect(templates.map((t: any) => t.phase)).toEqual(['pre', 'post'])
    expect(templates[0].items.find((i: any) => i.key === 'fresh-verified-backup')).toMatchObject({ kind: 'auto', params: { maxAgeHours: 24 } })
  })

  it('refuses a viewer and a bad phase; an operator starts a pre-deploy run with auto items already evaluated', async () => {
    const { byViewer, bad, res, run } = await preRun()
    expect(byViewer.status).toBe(403)
    expect(bad.status).toBe(400)
    expect((await json(bad)).message).toMatch(/phase: pre or post/)
    expect(res.status).toBe(201)
    expect(run).toMatchObject({ target: 'main', phase: 'pre', status: 'open', startedBy: 'otto' })
    const byKey = Object.fromEntries(run.items.map((i: any) => [i.key, i]))
    expect(byKey['skip-migrations']).toMatchObject({ kind: 'auto', status: 'pass', checkedBy: 'otto' })
    expect(byKey['skip-migrations'].evidence.value).toMatch(/SKIP_MIGRATIONS="true"/)
    expect(byKey['fresh-verified-backup']).toMatchObject({ status: 'fail', evidence: { value: 'no verified backup (no backups)' } })
    expect(byKey['rollback-plan']).toMatchObject({ kind: 'manual', status: 'pending', evidence: null })
    expect(run.total).toBe(run.items.length)
  })

  it('ticks a manual item with a note (who and when recorded); refuses auto items, unknown items and viewers', async () => {
    const { res, untick, autoItem, unknownItem, byViewer, bad } = await preTicks()
    expect(res.status).toBe(200)
    const item = (await json(res)).items.find((i: any) => i.key === 'rollback-plan')
    expect(item).toMatchObject({ status: 'pass', note: 'restore db_backup_x, see wiki/rollback', checkedBy: 'otto' })
    expect(Date.parse(item.checkedAt)).toBeGreaterThan(Date.now() - 60_000)
    expect(untick.items.find((i: any) => i.key === 'rollback-plan')).toMatchObject({ status: 'pending', note: null })
    expect(autoItem.status).toBe(409)
    expect(unknownItem.status).toBe(404)
    expect(byViewer.status).toBe(403)
    expect(bad.status).toBe(400)
    expect((await json(bad)).message).toMatch(/done/)
  })

  it('keeps runs to their target and validates the run id', async () => {
    await preRun()
    expect((await c.request(`${runs('other')}/${preId}`, { cookie: viewer })).status).toBe(404)
    const bad = await c.request(`${runs()}/abc`, { cookie: viewer })
    expect(bad.status).toBe(400)
    expect((await json(bad)).message).toMatch(/run: a run id/)
  })

  it('completes a post-deploy run by itself once every item passes, then keeps it as a record', async () => {
    const { run, manual, ticked } = await postRun()
    const auto = run.items.filter((i: any) => i.kind === 'auto')
    expect(auto.filter((i: any) => i.status !== 'pass').map((i: any) => [i.key, i.evidence.value])).toEqual([])
    let last: any
    for (const [n, result] of ticked.entries()) {
      last = result
      expect(last.status).toBe(n === manual.length - 1 ? 'passed' : 'open')
    }
    expect(last).toMatchObject({ status: 'passed', passing: last.total })
    expect(last.completedAt).not.toBeNull()
    expect((await tick(operator, postId, manual[0].key, { done: false })).status).toBe(409)
    expect((await c.request(`${runs()}/${postId}/evaluate`, { method: 'POST', cookie: operator, body: {} })).status).toBe(409)
  })

  it('re-evaluates an open run on demand', async () => {
    await preRun()
    const res = await c.request(`${runs()}/${preId}/evaluate`, { method: 'POST', cookie: operator, body: {} })
    expect(res.status).toBe(200)
    expect((await json(res)).items.find((i: any) => i.key === 'reachable')).toMatchObject({ status: 'pass' })
    expect((await c.request(`${runs()}/${preId}/evaluate`, { method: 'POST', cookie: viewer, body: {} })).status).toBe(403)
  })

  it('sign-off: admin only, with a reason of 10+ characters and the typed target id', async () => {
    const { byOperator, short, wrong, res, again } = await preSignOffs()
    expect(byOperator.status).toBe(403)
    expect(short.status).toBe(400)
    expect((await json(short)).message).toMatch(/reason: at least 10 characters/)
    expect(wrong.status).toBe(400)
    expect((await json(wrong)).message).toMatch(/confirm/)
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ status: 'signed-off', signedOffBy: 'admin', signOffReason: 'backup taken by hand at 09:00' })
    expect(again.status).toBe(409)
  })

  it('lists the history newest first with counts', async () => {
    await preRun()
    await postRun()
    await preSignOffs()
    const history = await json(await c.request(runs(), { cookie: viewer }))
    expect(history.map((r: any) => [r.id, r.phase, r.status])).toEqual([[postId, 'post', 'passed'], [preId, 'pre', 'signed-off']])
    expect(history[0].passing).toBe(history[0].total)
    expect(await json(await c.request(runs('other'), { cookie: viewer }))).toEqual([])
  })

  it('audits every action, refusals included', async () => {
    await preTicks()
    await preSignOffs()
    const rows = await queryRows(c.consoleDatabaseUrl, `SELECT actor, action, params, outcome FROM audit_log WHERE action LIKE 'checklist.%' ORDER BY id`)
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
