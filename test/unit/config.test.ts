import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '~server/config/load'

const dir = mkdtempSync(join(tmpdir(), 'dbsafe-config-'))
const target = { id: 'prod', label: 'Production', envFile: 'app.env', migrationsDir: 'migrations', backupsDir: '/var/backups/app' }
function write(content: unknown): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}
const db = { DBSAFE_DATABASE_URL: 'postgresql://u:p@localhost/console' }

describe('config file', () => {
  it('applies defaults and resolves relative paths against the file', () => {
    const file = write({ targets: [target] })
    const config = loadConfig(file, db)
    expect(config.targets[0]).toMatchObject({
      retentionDays: 7, migrationsTable: 'dbsafe_migrations',
      envFile: join(dir, 'app.env'), migrationsDir: join(dir, 'migrations'), backupsDir: '/var/backups/app',
    })
    expect(config.consoleDatabaseUrl).toBe(db.DBSAFE_DATABASE_URL)
  })

  it('prefers DBSAFE_DATABASE_URL over consoleDatabaseUrl in the file', () => {
    const file = write({ consoleDatabaseUrl: 'postgres://file/db', targets: [target] })
    expect(loadConfig(file, {}).consoleDatabaseUrl).toBe('postgres://file/db')
    expect(loadConfig(file, db).consoleDatabaseUrl).toBe(db.DBSAFE_DATABASE_URL)
  })

  it.each([
    [{ targets: [{ ...target, id: 'Prod Server' }] }, 'targets[0].id', 'slug'],
    [{ targets: [{ ...target, retentionDays: 'seven' }] }, 'targets[0].retentionDays', 'expected number'],
    [{ targets: [{ ...target, label: undefined }] }, 'targets[0].label', 'expected string'],
    [{ targets: [] }, 'targets', 'at least one target'],
    [{ targets: [target, target] }, 'targets', 'unique'],
    [{ targets: [{ ...target, typo: 1 }] }, 'targets[0]', 'typo'],
    [{ targets: [{ ...target, databaseUrl: 'mysql://x' }] }, 'targets[0].databaseUrl', 'postgresql://'],
  ])('names the file, the key path and what was expected (%#)', (content, path, expected) => {
    const file = write(content)
    expect(() => loadConfig(file, db)).toThrow(ConfigError)
    try { loadConfig(file, db) } catch (err) {
      const msg = (err as Error).message
      expect(msg).toContain(file)
      expect(msg).toContain(`at ${path}`)
      expect(msg).toContain(expected)
    }
  })

  it('explains a missing file, broken JSON and a missing console database', () => {
    expect(() => loadConfig(join(dir, 'absent.json'), db)).toThrow(/absent\.json: file not found/)
    expect(() => loadConfig(write('{ "targets": ['), db)).toThrow(/JSON/)
    expect(() => loadConfig(write({ targets: [target] }), {})).toThrow(/DBSAFE_DATABASE_URL/)
  })
})
