import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { targetConfigSchema } from '~server/config/schema'
import { EnvFileMissingError, SetByProcessManagerError, setSkipMigrations, setTargetSkipMigrations } from '~server/envfile/toggle'
import { readEnvFile } from '~server/envfile/read'
import { skipMigrationsState } from '~server/envfile/skip-migrations'

function envFile(text: string, mode = 0o640) {
  const dir = mkdtempSync(join(tmpdir(), 'dbsafe-toggle-'))
  const file = join(dir, '.env')
  writeFileSync(file, text)
  chmodSync(file, mode)
  return { dir, file }
}
const state = (file: string) => skipMigrationsState(readEnvFile(file))

describe('SKIP_MIGRATIONS toggle', () => {
  it('gives the exact value to the duplicate dotenv reads (the last), leaving the earlier one and every other byte', () => {
    const original = '# production\nDATABASE_TYPE=postgresql\nSKIP_MIGRATIONS=true  # <-- KEY SETTING\nDB_USER=app\nDB_PASSWORD="p#ss word"\n\n# appended later\nSKIP_MIGRATIONS=TRUE\n'
    const { file } = envFile(original)
    const { backup } = setSkipMigrations(file, true, new Date('2026-11-24T10:11:12.345Z'))
    expect(readFileSync(file, 'utf8')).toBe(original.replace('SKIP_MIGRATIONS=TRUE', 'SKIP_MIGRATIONS=true'))
    expect(state(file)).toMatchObject({ effective: true, warnings: [expect.objectContaining({ code: 'duplicate-key' })] })
    expect(backup).toBe(`${file}.bak-20261124T101112.345Z`)
    expect(readFileSync(backup, 'utf8')).toBe(original)
    expect(readEnvFile(file).values.DB_PASSWORD).toBe('p#ss word')
  })

  it('turns migrations back on with an explicit false and keeps `export` and the quotes', () => {
    const { file } = envFile('export SKIP_MIGRATIONS="true"\nDB_NAME=x\n')
    setSkipMigrations(file, false)
    expect(readFileSync(file, 'utf8')).toBe('export SKIP_MIGRATIONS="false"\nDB_NAME=x\n')
    expect(state(file).effective).toBe(false)
  })

  it('appends the key when the file does not set it', () => {
    const { file } = envFile('DB_NAME=x')
    setSkipMigrations(file, true)
    expect(readFileSync(file, 'utf8')).toBe('DB_NAME=x\nSKIP_MIGRATIONS=true\n')
  })

  it('keeps the mode and CRLF line endings, and leaves no temp file behind', () => {
    const { dir, file } = envFile('DB_NAME=x\r\nSKIP_MIGRATIONS=1\r\n', 0o600)
    setSkipMigrations(file, true)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toBe('DB_NAME=x\r\nSKIP_MIGRATIONS=true\r\n')
    expect(readdirSync(dir).filter((f) => f.includes('dbsafe-'))).toEqual([])
  })

  it('never overwrites an earlier backup made at the same moment', () => {
    const { dir, file } = envFile('SKIP_MIGRATIONS=false\n')
    const at = new Date('2026-11-24T10:11:12.345Z')
    setSkipMigrations(file, true, at)
    setSkipMigrations(file, false, at)
    const backups = readdirSync(dir).filter((f) => f.startsWith('.env.bak-')).map((f) => readFileSync(join(dir, f), 'utf8')).sort()
    expect(backups).toEqual(['SKIP_MIGRATIONS=false\n', 'SKIP_MIGRATIONS=true\n'])
  })

  it('refuses a missing file instead of creating one', () => {
    expect(() => setSkipMigrations('/nonexistent/dir/.env', true)).toThrow(EnvFileMissingError)
  })
})

describe('SKIP_MIGRATIONS toggle of a target under a process manager', () => {
  const target = (envFile: string, systemdUnit: string) => targetConfigSchema.parse({ id: 'app', label: 'App', envFile, systemdUnit, migrationsDir: '/tmp', backupsDir: '/tmp' })

  it('refuses, naming the unit file and line, and leaves the env file alone when systemd decides', () => {
    const { dir, file } = envFile('SKIP_MIGRATIONS=false\n')
    const unit = join(dir, 'app.service')
    writeFileSync(unit, '[Service]\nExecStart=/usr/bin/node server.js\nEnvironment=SKIP_MIGRATIONS=false\n')
    expect(() => setTargetSkipMigrations(target(file, unit), true)).toThrow(SetByProcessManagerError)
    expect(() => setTargetSkipMigrations(target(file, unit), true)).toThrow(`${unit} line 3`)
    expect(readFileSync(file, 'utf8')).toBe('SKIP_MIGRATIONS=false\n')
    expect(readdirSync(dir).filter((f) => f.includes('.bak-'))).toEqual([])
  })

  it('rewrites the env file when the unit does not set SKIP_MIGRATIONS', () => {
    const { dir, file } = envFile('SKIP_MIGRATIONS=false\n')
    const unit = join(dir, 'app.service')
    writeFileSync(unit, '[Service]\nEnvironment=NODE_ENV=production\n')
    setTargetSkipMigrations(target(file, unit), true)
    expect(readFileSync(file, 'utf8')).toBe('SKIP_MIGRATIONS=true\n')
  })
})
