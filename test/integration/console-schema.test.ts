import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootstrapAdmin, createUser, listUsers, UserExistsError } from '~server/auth/users'
import { consoleMigrations } from '~server/database/console-schema'
import { migrateConsole } from '~server/database/migrate-console'
import { createTestDatabase } from '../support/db'
import { once } from '../support/once'

describe('console schema', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  beforeAll(async () => { db = await createTestDatabase('console_schema') })
  afterAll(async () => { await db.drop() })
  // The schema the later tests use: migrated once, by the first test that needs it.
  const migrated = once(() => Promise.all([migrateConsole(db.pool), migrateConsole(db.pool), migrateConsole(db.pool)]))

  it('two instances migrating at once apply each migration exactly once', async () => {
    const results = await migrated()
    expect(results.flat().sort()).toEqual(consoleMigrations.map((m) => m.name).sort())
    const { rows } = await db.pool.query('SELECT name FROM console_schema_migrations')
    expect(rows.map((r) => r.name)).toEqual(consoleMigrations.map((m) => m.name))
  })

  it('is idempotent on a later start', async () => {
    await migrated()
    expect(await migrateConsole(db.pool)).toEqual([])
  })

  it('bootstraps the admin only while there is no user, even when starts race', async () => {
    await migrated()
    expect(await bootstrapAdmin(db.pool, undefined)).toBe(false)
    const created = await Promise.all([bootstrapAdmin(db.pool, 'first-admin-password'), bootstrapAdmin(db.pool, 'other-password-123')])
    expect(created.filter(Boolean)).toHaveLength(1)
    expect(await bootstrapAdmin(db.pool, 'again-password-123')).toBe(false)
    const users = await listUsers(db.pool)
    expect(users.map((u) => [u.username, u.role])).toEqual([['admin', 'admin']])
  })

  it('refuses a second user with the same name and never stores the password in clear', async () => {
    await migrated()
    await createUser(db.pool, 'carol', 'carol-password-1', 'viewer')
    await expect(createUser(db.pool, 'carol', 'another-password', 'admin')).rejects.toBeInstanceOf(UserExistsError)
    const { rows } = await db.pool.query("SELECT password_hash FROM users WHERE username = 'carol'")
    expect(rows[0].password_hash).toMatch(/^scrypt\$/)
    expect(rows[0].password_hash).not.toContain('carol-password-1')
  })
})
