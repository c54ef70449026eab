import { appendFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '~scripts/pg-cluster'
import { json } from '../support/http'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

describe('targets, overview and SKIP_MIGRATIONS over real databases', () => {
  let c: ConsoleFixture
  let cookie: string
  let closedPort: number
  beforeAll(async () => {
    closedPort = await freePort()
    c = await startConsoleFixture({
      targets: ['alpha', 'beta'],
      extraTargets: [
        { id: 'down', label: 'Down', envFile: '/nonexistent/app.env', databaseUrl: `postgresql://app:secret-in-url@127.0.0.1:${closedPort}/app`, migrationsDir: '/tmp', backupsDir: '/tmp' },
        { id: 'no-env', label: 'No env file', envFile: '/nonexistent/app.env', migrationsDir: '/tmp', backupsDir: '/tmp' },
      ],
    })
    cookie = await c.login('admin', c.adminPassword)
  })
  afterAll(async () => { await c?.cleanup() })

  const get = async (path: string) => {
    const res = await c.request(path, { cookie })
    return { status: res.status, body: await json(res) }
  }

  it('lists every target with whether it can be reached (a target nobody labelled counts as production)', async () => {
    const { body } = await get('/api/targets')
    expect(body).toEqual([
      { id: 'alpha', label: 'Target alpha', environment: 'production', colour: null, reachable: true },
      { id: 'beta', label: 'Target beta', environment: 'production', colour: null, reachable: true },
      { id: 'down', label: 'Down', environment: 'production', colour: null, reachable: false },
      { id: 'no-env', label: 'No env file', environment: 'production', colour: null, reachable: false },
    ])
  })

  it('shows the connection as the app makes it from the env file', async () => {
    const alpha = c.targets[0]
    const { body } = await get('/api/targets/alpha/overview')
    expect(body.connection).toMatchObject({ ok: true, database: alpha.database, user: alpha.appRole, serverVersion: expect.stringMatching(/^\d+\.\d+/) })
    expect(body.connection.databaseSizeBytes).toBeGreaterThan(1_000_000)
    expect(body.appRole).toBe(alpha.appRole)
    expect(body.skipMigrations).toMatchObject({ value: 'true', effective: true, warnings: [] })
    expect(JSON.stringify(body)).not.toContain(alpha.appPassword)
  })

  it('shows an unreachable target with the driver reason and never the password', async () => {
    const { status, body } = await get('/api/targets/down/overview')
    expect(status).toBe(200)
    expect(body.connection.ok).toBe(false)
    expect(body.connection.error).toMatch(/ECONNREFUSED/)
    expect(JSON.stringify(body)).not.toContain('secret-in-url')
  })

  it('explains a missing env file in the overview and the SKIP_MIGRATIONS state', async () => {
    const { body } = await get('/api/targets/no-env/overview')
    expect(body.connection).toEqual({ ok: false, error: expect.stringContaining('/nonexistent/app.env not found'), since: expect.any(String) })
    const skip = await get('/api/targets/no-env/skip-migrations')
    expect(skip.body).toMatchObject({ exists: false, value: null, effective: false })
    expect(skip.body.warnings[0].code).toBe('env-file-missing')
  })

  it('re-reads the env file on every request: a duplicate appended by echo flips the verdict', async () => {
    const beta = c.targets[1]
    appendFileSync(beta.envFile, 'SKIP_MIGRATIONS=TRUE\n')
    const { body } = await get('/api/targets/beta/skip-migrations')
    expect(body).toMatchObject({ envFile: beta.envFile, value: 'TRUE', effective: false, occurrences: [{ line: 6, value: 'true' }, { line: 7, value: 'TRUE' }] })
    expect(body.warnings.map((w: { code: string }) => w.code).sort()).toEqual(['duplicate-key', 'near-miss'])
  })

  it('answers 404 naming an unknown target', async () => {
    const { status, body } = await get('/api/targets/gamma/overview')
    expect(status).toBe(404)
    expect(body.message).toBe('Unknown target "gamma"')
    expect((await get('/api/targets/gamma/skip-migrations')).status).toBe(404)
  })

  it('keeps serving other targets while one is down', async () => {
    const results = await Promise.all(['alpha', 'down', 'beta'].map((t) => get(`/api/targets/${t}/overview`)))
    expect(results.map((r) => r.body.connection.ok)).toEqual([true, false, true])
  })
})
