import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { failedStart, loginCookie, startConsoleProcess, writeConfig } from '../support/console'
import { createTestDatabase } from '../support/db'

const target = { id: 'prod', label: 'Production', envFile: 'app.env', migrationsDir: 'm', backupsDir: 'b' }

describe('console start-up', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  beforeAll(async () => { db = await createTestDatabase('startup') })
  afterAll(async () => { await db.drop() })

  it('stops on a bad config with the file, the key path and what was expected, and no stack trace', async () => {
    const file = writeConfig({ targets: [{ ...target, retentionDays: -1 }] })
    const { code, output } = await failedStart({ DBSAFE_CONFIG: file, DBSAFE_DATABASE_URL: db.url })
    expect(code).toBe(1)
    expect(output).toContain(file)
    expect(output).toContain('targets[0].retentionDays')
    expect(output).toMatch(/expected number to be >0|Too small/i)
    expect(output).not.toMatch(/\.mjs:\d+|node:internal/)
  })

  it('stops when the config file is missing, naming it', async () => {
    const { code, output } = await failedStart({ DBSAFE_CONFIG: '/nonexistent/dbsafe.config.json', DBSAFE_DATABASE_URL: db.url })
    expect(code).toBe(1)
    expect(output).toContain('/nonexistent/dbsafe.config.json: file not found')
  })

  it('stops with the reason when the console database cannot be reached, without its password', async () => {
    const { code, output } = await failedStart({ DBSAFE_CONFIG: writeConfig({ targets: [target] }), DBSAFE_DATABASE_URL: 'postgresql://u:hunter2-secret@127.0.0.1:1/x' })
    expect(code).toBe(1)
    expect(output).toMatch(/dbsafe cannot start: .*ECONNREFUSED/)
    expect(output).not.toContain('hunter2-secret')
  })

  it('two consoles starting together on one fresh database both come up with one schema and one admin', async () => {
    const env = { DBSAFE_CONFIG: writeConfig({ targets: [target] }), DBSAFE_DATABASE_URL: db.url, DBSAFE_ADMIN_PASSWORD: 'first-admin-password' }
    const [a, b] = await Promise.all([startConsoleProcess(env), startConsoleProcess(env)])
    const { rows } = await db.pool.query('SELECT username FROM users')
    expect(rows).toEqual([{ username: 'admin' }])
    const cookie = await loginCookie(b.url, 'admin', 'first-admin-password')
    // Both instances share the session secret kept in the console database.
    expect((await fetch(`${a.url}/api/auth/me`, { headers: { cookie } })).status).toBe(200)
    await Promise.all([a.stop(), b.stop()])
  })
})
