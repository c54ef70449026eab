import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../support/db'
import { json } from '../support/http'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

// Issue 15: a note written after the tick (and edited), and an open run given up with a reason.
describe('checklist notes after the tick, and abandoned runs', () => {
  let c: ConsoleFixture
  let operator: string
  let viewer: string
  const runs = '/api/targets/main/checklists/runs'
  const start = async (phase: string) => json(await c.request(runs, { method: 'POST', cookie: operator, body: { phase } }))
  const note = (cookie: string, run: number, item: string, body: unknown) =>
    c.request(`${runs}/${run}/items/${item}/note`, { method: 'PUT', cookie, body })
  const abandon = (cookie: string, run: number, body: unknown) => c.request(`${runs}/${run}/abandon`, { method: 'POST', cookie, body })

  beforeAll(async () => {
    c = await startConsoleFixture({ targets: ['main'] })
    operator = await c.signInAs('nora', 'operator')
    viewer = await c.signInAs('vera', 'viewer')
  })
  afterAll(async () => { await c?.cleanup() })

  it('adds and edits a note on a ticked item without unticking it, even once the run has passed', async () => {
    const run = await start('post')
    const manual = run.items.filter((i: any) => i.kind === 'manual').map((i: any) => i.key)
    let last: any
    for (const key of manual) last = await json(await c.request(`${runs}/${run.id}/items/${key}`, { method: 'PUT', cookie: operator, body: { done: true } }))
    expect(last.status).toBe('passed')

    const first = await note(operator, run.id, manual[0], { note: '  smoke test: /login and /orders OK  ' })
    expect(first.status).toBe(200)
    const item = (await json(first)).items.find((i: any) => i.key === manual[0])
    expect(item).toMatchObject({ status: 'pass', checkedBy: 'nora', note: 'smoke test: /login and /orders OK', notedBy: 'nora' })
    expect(Date.parse(item.notedAt)).toBeGreaterThan(Date.now() - 60_000)

    const edited = await json(await note(operator, run.id, manual[0], { note: 'smoke test: /login, /orders and /admin OK' }))
    expect(edited).toMatchObject({ status: 'passed' })
    expect(edited.items.find((i: any) => i.key === manual[0]).note).toBe('smoke test: /login, /orders and /admin OK')
    const removed = await json(await note(operator, run.id, manual[0], { note: '' }))
    expect(removed.items.find((i: any) => i.key === manual[0])).toMatchObject({ note: null, notedBy: null, status: 'pass' })

    expect((await note(viewer, run.id, manual[0], { note: 'x' })).status).toBe(403)
    expect((await note(operator, run.id, 'no-such-item', { note: 'x' })).status).toBe(404)
    const tooLong = await note(operator, run.id, manual[0], { note: 'x'.repeat(2001) })
    expect(tooLong.status).toBe(400)
    expect((await json(tooLong)).message).toMatch(/note: at most 2000 characters/)
  })

  it('abandons an open run with a reason: shown as abandoned in the history, closed to ticks and notes', async () => {
    const run = await start('pre')
    const short = await abandon(operator, run.id, { reason: 'no' })
    expect(short.status).toBe(400)
    expect((await json(short)).message).toMatch(/reason: at least 5 characters/)
    expect((await abandon(viewer, run.id, { reason: 'deploy called off' })).status).toBe(403)

    const res = await abandon(operator, run.id, { reason: '  deploy called off until Monday  ' })
    expect(res.status).toBe(200)
    const abandoned = await json(res)
    expect(abandoned).toMatchObject({ status: 'abandoned', abandonedBy: 'nora', abandonReason: 'deploy called off until Monday', completedAt: null })
    expect(Date.parse(abandoned.abandonedAt)).toBeGreaterThan(Date.now() - 60_000)

    const history = await json(await c.request(runs, { cookie: viewer }))
    expect(history.find((r: any) => r.id === run.id)).toMatchObject({ status: 'abandoned', abandonReason: 'deploy called off until Monday' })
    const again = await abandon(operator, run.id, { reason: 'deploy called off' })
    expect(again.status).toBe(409)
    expect((await json(again)).message).toMatch(/is abandoned; start a new run/)
    const tick = await c.request(`${runs}/${run.id}/items/rollback-plan`, { method: 'PUT', cookie: operator, body: { done: true } })
    expect(tick.status).toBe(409)
    expect((await note(operator, run.id, 'rollback-plan', { note: 'late' })).status).toBe(409)
    expect((await c.request(`${runs}/${run.id}/evaluate`, { method: 'POST', cookie: operator, body: {} })).status).toBe(409)
  })

  it('audits notes and abandons, refusals included', async () => {
    const rows = await queryRows(c.consoleDatabaseUrl,
      `SELECT actor, action, params, outcome FROM audit_log WHERE action IN ('checklist.note', 'checklist.abandon') ORDER BY id`)
    const summary = rows.map((r) => `${r.action} ${r.actor} ${r.outcome.split(':')[0]}`)
    expect(summary.filter((s) => s.startsWith('checklist.abandon'))).toEqual([
      'checklist.abandon nora refused 400', 'checklist.abandon vera refused 403', 'checklist.abandon nora ok', 'checklist.abandon nora refused 409',
    ])
    expect(summary.filter((s) => s === 'checklist.note nora ok')).toHaveLength(3)
    expect(rows.find((r) => r.action === 'checklist.abandon' && r.outcome === 'ok')!.params.reason).toBe('deploy called off until Monday')
    expect(rows.filter((r) => r.action === 'checklist.note' && r.outcome === 'ok').map((r) => r.params.note))
      .toEqual(['smoke test: /login and /orders OK', 'smoke test: /login, /orders and /admin OK', ''])
  })
})
