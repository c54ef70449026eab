import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../support/db'
import { json } from '../support/http'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

describe('deploys over HTTP', () => {
  let c: ConsoleFixture
  let admin: string
  let operator: string
  let viewer: string
  const deploys = '/api/targets/main/deploys'

  beforeAll(async () => {
    c = await startConsoleFixture({ targets: ['main'] })
    admin = await c.login('admin', c.adminPassword)
    operator = await c.signInAs('otto', 'operator')
    viewer = await c.signInAs('vic', 'viewer')
  })
  afterAll(async () => { await c?.cleanup() })

  it('starts a deploy for an operator who types the target, refuses a viewer and a second start, and lists it as open', async () => {
    expect((await c.request(deploys, { method: 'POST', cookie: viewer, body: { confirm: 'main' } })).status).toBe(403)
    expect((await c.request(deploys, { method: 'POST', cookie: operator, body: { confirm: 'other' } })).status).toBe(400)
    const res = await c.request(deploys, { method: 'POST', cookie: operator, body: { note: 'v1.2.0', confirm: 'main' } })
    expect(res.status).toBe(201)
    const started = await json(res)
    expect(started).toMatchObject({ note: 'v1.2.0', startedBy: 'otto', current: 'pre-gate' })
    const again = await c.request(deploys, { method: 'POST', cookie: admin, body: { confirm: 'main' } })
    expect(again.status).toBe(409)
    expect(await json(again)).toMatchObject({ message: expect.stringContaining(`already open (#${started.id}, started by otto)`), data: { code: 'deploy-open' } })
    const list = await json(await c.request(deploys, { cookie: viewer }))
    expect(list.open).toMatchObject({ id: started.id, steps: expect.arrayContaining([expect.objectContaining({ key: 'post-gate', state: 'locked' })]) })

    const step = (key: string, action: string) => `${deploys}/${started.id}/steps/${key}/${action}`
    expect((await c.request(step('backup', 'check'), { method: 'POST', cookie: operator, body: {} })).status).toBe(409)
    expect((await c.request(step('deploy', 'check'), { method: 'POST', cookie: operator, body: {} })).status).toBe(400)
    const body = { reason: 'gate checked by the CI job #812', confirm: 'main' }
    expect((await c.request(step('pre-gate', 'override'), { method: 'POST', cookie: operator, body })).status).toBe(403)
    expect((await c.request(step('pre-gate', 'override'), { method: 'POST', cookie: admin, body: { ...body, reason: 'ok' } })).status).toBe(400)
    const overridden = await json(await c.request(step('pre-gate', 'override'), { method: 'POST', cookie: admin, body }))
    expect(overridden.steps[0]).toMatchObject({ state: 'overridden', override: { by: 'admin', reason: body.reason } })
    const audit = await queryRows(c.consoleDatabaseUrl, `SELECT actor, outcome, params FROM audit_log WHERE action = 'deploys.override-step' ORDER BY id`)
    expect(audit.map((a) => [a.actor, a.outcome.split(':')[0]])).toEqual([['otto', 'refused 403'], ['admin', 'refused 400'], ['admin', 'ok']])
    expect(audit[2].params).toMatchObject({ deploy: started.id, step: 'pre-gate', reason: body.reason })

    const ended = await c.request(`${deploys}/${started.id}/end`, { method: 'POST', cookie: operator, body: { outcome: 'succeeded' } })
    expect(ended.status).toBe(412)
    const abandoned = await json(await c.request(`${deploys}/${started.id}/end`, { method: 'POST', cookie: operator, body: { outcome: 'abandoned', reason: 'release pulled by product' } }))
    expect(abandoned).toMatchObject({ outcome: 'abandoned', endedBy: 'otto', endReason: 'release pulled by product' })
    const one = await json(await c.request(`${deploys}/${started.id}`, { cookie: viewer }))
    expect(one.outcome).toBe('abandoned')
    expect((await c.request(`${deploys}/99999`, { cookie: viewer })).status).toBe(404)
  })
})
