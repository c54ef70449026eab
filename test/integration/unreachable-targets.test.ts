import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '~scripts/pg-cluster'
import { apiRoutes } from '../support/api-routes'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

const PASSWORD = 'pw-never-shown-91c4'
// Every target page that only reads, as the route files declare them; a page added later is walked too.
const targetPages = apiRoutes().filter((r) => r.method === 'GET' && r.path.startsWith('/api/targets/main/'))
// The pages that need the target's database to answer at all.
const NEEDS_TARGET = ['/privileges', '/migrations', '/migrations/main', '/monitoring']
// pg's connect timeout (server/database/pools.ts) and a margin for a loaded machine.
const CONNECT_TIMEOUT_MS = 5000 + 1500

const envFor = (host: string, port: number) => `DB_HOST=${host}\nDB_PORT=${port}\nDB_NAME=app\nDB_USER=app\nDB_PASSWORD=${PASSWORD}\n`

describe('an unreachable target: every page says which, why and since when, never a 500', () => {
  let c: ConsoleFixture
  let cookie: string
  let flappyEnv: string
  let closedPort: number
  const targets = [
    { id: 'closed', label: 'Closed port', reason: /ECONNREFUSED/ },
    // The IPv6 discard prefix has no route: the connect fails with EHOSTUNREACH (or ENETUNREACH) at once.
    { id: 'nowhere', label: 'No route', reason: /EHOSTUNREACH|ENETUNREACH/ },
  ]
  beforeAll(async () => {
    closedPort = await freePort()
    const dir = mkdtempSync(join(tmpdir(), 'dbsafe-unreachable-'))
    const env = (name: string, text: string) => {
      writeFileSync(join(dir, name), text)
      return join(dir, name)
    }
    flappyEnv = env('flappy.env', envFor('127.0.0.1', closedPort))
    const config = (id: string, label: string, envFile: string) => ({ id, label, envFile, migrationsDir: dir, backupsDir: dir })
    c = await startConsoleFixture({
      extraTargets: [
        config('closed', 'Closed port', env('closed.env', envFor('127.0.0.1', closedPort))),
        config('nowhere', 'No route', env('nowhere.env', envFor('100::1', 5432))),
        config('flappy', 'Flappy', flappyEnv),
      ],
    })
    cookie = await c.login('admin', c.adminPassword)
  })
  afterAll(async () => { await c?.cleanup() })

  const get = async (path: string) => {
    const started = Date.now()
    const res = await c.request(path, { cookie })
    const text = await res.text()
    return { status: res.status, text, body: JSON.parse(text), ms: Date.now() - started }
  }

  it('walks the target pages', () => {
    expect(targetPages.map((r) => r.path)).toEqual(expect.arrayContaining(['/api/targets/main/overview', ...NEEDS_TARGET.map((p) => `/api/targets/main${p}`)]))
  })

  it.each(targets)('$id: every page answers within the connect timeout, 503 with target, reason and since where it needs the database', async (t) => {
    const since = new Set<string>()
    for (const page of targetPages) {
      const path = page.path.replace('/targets/main/', `/targets/${t.id}/`)
      const { status, text, body, ms } = await get(path)
      expect(status, `${path}: ${text}`).not.toBe(500)
      expect(text).not.toContain(PASSWORD)
      expect(ms, path).toBeLessThan(CONNECT_TIMEOUT_MS)
      if (NEEDS_TARGET.some((p) => path.endsWith(`/${t.id}${p}`))) expect(status, `${path}: ${text}`).toBe(503)
      if (status === 503) {
        expect(body.message).toContain(t.label)
        expect(body.message).toMatch(t.reason)
        expect(body.data).toMatchObject({ code: 'unreachable', target: t.id, reason: expect.stringMatching(t.reason) })
        expect(body.message).toContain(`failing since ${body.data.since}`)
        since.add(body.data.since)
      }
    }
    const overview = await get(`/api/targets/${t.id}/overview`)
    expect(overview.status).toBe(200)
    expect(overview.body.connection).toEqual({ ok: false, error: expect.stringMatching(t.reason), since: expect.any(String) })
    since.add(overview.body.connection.since)
    // One run of failures, one start: the first failure's time, kept by the console.
    expect([...since]).toHaveLength(1)
    expect(Date.parse([...since][0])).toBeLessThanOrEqual(Date.now())
    // Each page is held to the connect timeout above; there are some twenty-five of them, and a route that fails slowly
    // (an address with no route may take its full connect attempt) takes seconds each.
  }, 180_000)

  it('forgets the run of failures once the target answers, and starts a new one when it fails again', async () => {
    const first = (await get('/api/targets/flappy/migrations')).body.data.since
    expect(Date.parse(first)).not.toBeNaN()
    expect((await get('/api/targets/flappy/monitoring')).body.data.since).toBe(first)
    // The env file is read on every request: pointing it at the real database brings the target back.
    writeFileSync(flappyEnv, readFileSync(c.targets[0].envFile))
    expect((await get('/api/targets/flappy/overview')).body.connection.ok).toBe(true)
    writeFileSync(flappyEnv, envFor('127.0.0.1', closedPort))
    const again = await get('/api/targets/flappy/monitoring')
    expect(again.status).toBe(503)
    expect(Date.parse(again.body.data.since)).toBeGreaterThan(Date.parse(first))
  })
})
