import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyPassword } from '~server/auth/passwords'
import { createTestDatabase } from '../support/db'
import { once } from '../support/once'

const cli = (args: string[], env: Record<string, string>, input = '') =>
  spawnSync('npx', ['tsx', 'scripts/users.ts', ...args], { input, encoding: 'utf8', env: { ...process.env, ...env } })

describe('users CLI', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  beforeAll(async () => { db = await createTestDatabase('users_cli') })
  afterAll(async () => { await db.drop() })
  // The user the later tests find: added by the first test that needs it.
  const addOps = once(async () => cli(['add', 'ops', '--role', 'operator'], { DBSAFE_DATABASE_URL: db.url }, 'ops-password-long\n'))

  it('adds a user with the password from stdin, on a console database it migrates itself', async () => {
    const res = await addOps()
    expect(res.stdout).toContain('created ops (operator)')
    expect(res.status).toBe(0)
    const { rows } = await db.pool.query("SELECT role, password_hash FROM users WHERE username = 'ops'")
    expect(rows[0].role).toBe('operator')
    expect(await verifyPassword('ops-password-long', rows[0].password_hash)).toBe(true)
  })

  it('refuses a taken name, a short password and an unknown role with exit codes', async () => {
    await addOps()
    const env = { DBSAFE_DATABASE_URL: db.url }
    const taken = cli(['add', 'ops', '--role', 'viewer'], env, 'another-password-1\n')
    expect(taken.status).toBe(1)
    expect(taken.stderr).toContain('already exists')
    const short = cli(['add', 'shorty'], env, 'short\n')
    expect(short.status).toBe(2)
    expect(short.stderr).toContain('password: at least 12 characters')
    const role = cli(['add', 'rooty', '--role', 'root'], env, 'long-enough-password\n')
    expect(role.status).toBe(2)
    expect(role.stderr).toContain('role:')
  })

  it('lists users', async () => {
    await addOps()
    const res = cli(['list'], { DBSAFE_DATABASE_URL: db.url })
    expect(res.stdout).toContain('ops\toperator')
  })
})
