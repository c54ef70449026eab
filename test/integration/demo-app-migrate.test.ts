import { cpSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MigrateCommand } from '~server/config/schema'
import { commandEnvironment } from '~server/migrations/command/environment'
import { runMigrateCommand, type OutputLine } from '~server/migrations/command/run'
import { createTestDatabase } from '../support/db'

const REPO = resolve(import.meta.dirname, '../..')
const FIXTURE = join(REPO, 'scripts/demo/fixtures/app')

describe('the demo app\'s own migrate.ts, run as its migrate command', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  let appDir: string
  let password: string
  let cmd: MigrateCommand

  beforeAll(async () => {
    db = await createTestDatabase('demo_app')
    appDir = mkdtempSync(join(tmpdir(), 'demo-app-'))
    cpSync(FIXTURE, appDir, { recursive: true })
    // The app's own dependencies (pg, tsx), as after its `pnpm install`.
    symlinkSync(join(REPO, 'node_modules'), join(appDir, 'node_modules'))
    password = decodeURIComponent(new URL(db.url).password)
    cmd = { argv: [join(REPO, 'node_modules/.bin/tsx'), join(appDir, 'migrate.ts')], cwd: appDir, timeoutMinutes: 2, upToArgs: ['--to', '{id}'] }
  })
  afterAll(async () => { await db?.drop() })

  async function migrate(upTo?: string) {
    const u = new URL(db.url)
    // What the target's env file holds: the connection, the password among it.
    const envFile = { DB_HOST: u.hostname, DB_PORT: u.port, DB_NAME: u.pathname.slice(1), DB_USER: decodeURIComponent(u.username), DB_PASSWORD: password }
    const lines: OutputLine[] = []
    const result = await runMigrateCommand(cmd, { env: commandEnvironment(envFile, cmd), secrets: [password], upTo, onLine: (l) => lines.push(l) })
    return { ...result, output: lines.map((l) => l.text) }
  }
  const appliedIds = async () => (await db.pool.query(`SELECT config->'migrations_run' AS ids FROM crearis_config WHERE id = 1`)).rows[0].ids
  const columns = async (table: string) => (await db.pool.query(
    `SELECT array_agg(column_name::text ORDER BY column_name) AS c FROM information_schema.columns WHERE table_name = $1`, [table])).rows[0].c

  it('applies up to the given id, records the ids (not the file names) and skips the template', async () => {
    const r = await migrate('003_event_registrations')
    expect(r.exitCode, r.output.join('\n')).toBe(0)
    expect(await appliedIds()).toEqual(['001_config_table', '002_projects_events', '003_event_registrations'])
    expect(r.output).toContain('Running migration 001_config_table…')
    expect(r.output).not.toContain('Running migration 000_template…')
    expect(await columns('events')).toContain('updated_at')
    expect(await columns('feature_flags')).toBeNull()
  })

  it('applies 004, fails in 005 halfway, and leaves what ran applied, as the app\'s runner does', async () => {
    await db.pool.query(readFileSync(join(FIXTURE, 'demo-data.sql'), 'utf8'))
    const r = await migrate()
    expect(r.exitCode).toBe(1)
    expect(r.output).toEqual(expect.arrayContaining(['✓ 004_drop_legacy_flags', 'Running migration 005_unique_registrations…']))
    expect(r.output).not.toContain('✓ 005_unique_registrations')
    expect(await appliedIds()).toEqual(['001_config_table', '002_projects_events', '003_event_registrations', '004_drop_legacy_flags'])
    // 004's destructive loop ran on every table; the flags it moved are in their new table.
    for (const table of ['projects', 'events', 'registrations']) expect(await columns(table)).not.toContain('legacy_flags')
    expect((await db.pool.query('SELECT count(*)::int AS n FROM feature_flags')).rows[0].n).toBeGreaterThan(0)
    // 005's first statement stays, its constraint never came.
    expect(await columns('registrations')).toContain('checked_in_at')
    expect((await db.pool.query(`SELECT to_regclass('registrations_event_email_key') AS c`)).rows[0].c).toBeNull()
    expect(r.lastErrorLine).toMatch(/005_unique_registrations.*could not create unique index "registrations_event_email_key"/)
    expect(r.output.join('\n')).not.toContain(password)
  })
})
