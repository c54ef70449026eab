import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '~scripts/pg-cluster'
import { cli } from '../support/cli'
import { json } from '../support/http'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

describe('npx dbsafe check', () => {
  let c: ConsoleFixture
  let token: string
  beforeAll(async () => {
    c = await startConsoleFixture()
    const admin = await c.login('admin', c.adminPassword)
    token = (await json(await c.request('/api/tokens', { method: 'POST', cookie: admin, body: { name: 'cli test' } }))).token
  })
  afterAll(async () => { await c?.cleanup() })

  it('exits 0 and prints every check when the phase passes', async () => {
    const r = await cli(['check', '--target', 'main', '--phase', 'post', '--url', c.url, '--token', token])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^dbsafe post-deploy gate for main: PASS\n/)
    expect(r.stdout).toMatch(/ {2}✓ SKIP_MIGRATIONS re-enabled \(exactly "true"\): SKIP_MIGRATIONS="true" \(line \d+/)
    expect(r.stdout).not.toContain('✗')
  })

  it('exits 1 and names the failing check with its evidence (token and URL from the environment)', async () => {
    const r = await cli(['check', '--target', 'main'], { DBSAFE_TOKEN: token, DBSAFE_URL: c.url })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^dbsafe pre-deploy gate for main: FAIL \(1 of 7 checks fail\)/)
    expect(r.stdout).toContain('  ✗ A restore-tested backup younger than 24 hours: no verified backup (no backups)')
    expect(r.stdout).toContain('      Take a backup and run its restore test.')
  })

  it.each([
    [['check', '--target', 'main', '--token', 'x'], /cannot reach the console at http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/, 'closed'],
    [['check', '--target', 'main', '--token', `dbsafe_${'A'.repeat(43)}`], /answered 401: Invalid or revoked API token/, null],
    [['check', '--target', 'nope'], /answered 404: Unknown target "nope"/, null],
    [['check', '--target', 'main', '--phase', 'during'], /--phase must be pre or post/, null],
    [['check'], /--target is required/, null],
    [['deploy'], /unknown command "deploy"/, null],
    [['check', '--target', 'main', '--bogus'], /Unknown option '--bogus'/, null],
  ] as const)('exits 2 and says what went wrong: %j', async (args, message, url) => {
    const withToken: Record<string, string> = (args as readonly string[]).includes('--token') ? {} : { DBSAFE_TOKEN: token }
    const closed = url === 'closed' ? `http://127.0.0.1:${await freePort()}` : null
    const r = await cli([...args], { DBSAFE_URL: closed ?? c.url, ...withToken })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  })

  it('exits 2 without a token', async () => {
    const r = await cli(['check', '--target', 'main', '--url', c.url])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no API token: pass --token or set DBSAFE_TOKEN/)
  })
})
