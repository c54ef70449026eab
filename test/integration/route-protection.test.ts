import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PUBLIC_ROUTES } from '~server/http/public-routes'
import { apiRoutes } from '../support/api-routes'
import { json } from '../support/http'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

// Walks every file under server/api, so a route added later cannot forget the session rule.
const routes = apiRoutes()
const ADMIN_ONLY = ['GET /api/users', 'POST /api/users', 'PATCH /api/users/1', 'DELETE /api/users/1']

describe('every API route needs a session', () => {
  let c: ConsoleFixture
  let viewer: string
  beforeAll(async () => {
    c = await startConsoleFixture()
    const admin = await c.login('admin', c.adminPassword)
    await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: 'walker', password: 'walker-password', role: 'viewer' } })
    viewer = await c.login('walker', 'walker-password')
  })
  afterAll(async () => { await c?.cleanup() })

  it('finds the route files', () => {
    expect(routes.length).toBeGreaterThanOrEqual(10)
    expect(routes).toContainEqual(expect.objectContaining({ method: 'GET', path: '/api/targets/main/overview' }))
  })

  it.each(routes.filter((r) => !PUBLIC_ROUTES.has(`${r.method} ${r.path}`)))('$method $path ($file) → 401 without a session', async (r) => {
    const res = await c.request(r.path, { method: r.method, body: ['GET', 'DELETE'].includes(r.method) ? undefined : {} })
    expect(res.status).toBe(401)
    expect(await json(res)).toEqual({ statusCode: 401, message: 'Log in first' })
  })

  it('the public routes exist and answer without a session', async () => {
    for (const key of PUBLIC_ROUTES) {
      const [method, path] = key.split(' ')
      expect(routes).toContainEqual(expect.objectContaining({ method, path }))
      const res = await c.request(path, { method, body: method === 'POST' ? {} : undefined })
      expect([200, 400]).toContain(res.status)
    }
  })

  it.each(ADMIN_ONLY)('%s → 403 for a viewer', async (key) => {
    const [method, path] = key.split(' ')
    const res = await c.request(path, { method, cookie: viewer, body: ['POST', 'PATCH'].includes(method) ? { username: 'z', password: 'zzzzzzzzzzzzzz', role: 'viewer' } : undefined })
    expect(res.status).toBe(403)
  })
})
