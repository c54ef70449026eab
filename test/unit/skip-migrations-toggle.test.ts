import { execFileSync } from 'node:child_process'
import { chmodSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'dotenv'
import { describe, expect, it } from 'vitest'
import { RefusedError } from '~server/errors'
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

// Everything a refused toggle must leave as it was: the names in the directory, the file's bytes and mode.
function snapshot(dir: string, file: string) {
  return { names: readdirSync(dir).sort(), bytes: readFileSync(file).toString('hex'), mode: statSync(file).mode }
}

function refusal(run: () => unknown): RefusedError {
  try {
    run()
  } catch (err) {
    expect(err).toBeInstanceOf(RefusedError)
    return err as RefusedError
  }
  throw new Error('expected a refusal')
}

describe('SKIP_MIGRATIONS toggle faults (issue 13)', () => {
  it('changes only the real assignment when a quoted multiline value holds a SKIP_MIGRATIONS= line', () => {
    const original = 'DB_PASSWORD=s3cret\nTLS_CERT="-----BEGIN-----\nSKIP_MIGRATIONS=false\n-----END-----"\nSKIP_MIGRATIONS=false\nDB_NAME=app\n'
    const { file } = envFile(original)
    setSkipMigrations(file, true)
    expect(readFileSync(file, 'utf8')).toBe('DB_PASSWORD=s3cret\nTLS_CERT="-----BEGIN-----\nSKIP_MIGRATIONS=false\n-----END-----"\nSKIP_MIGRATIONS=true\nDB_NAME=app\n')
    expect(parse(readFileSync(file))).toEqual({ DB_PASSWORD: 's3cret', TLS_CERT: '-----BEGIN-----\nSKIP_MIGRATIONS=false\n-----END-----', SKIP_MIGRATIONS: 'true', DB_NAME: 'app' })
    // The status lists only the assignment dotenv reads, on its real line.
    expect(state(file)).toMatchObject({ effective: true, occurrences: [{ line: 5, value: 'true' }], warnings: [] })
  })

  it('changes the real assignment when it comes before the multiline value that mentions the key', () => {
    const { file } = envFile('SKIP_MIGRATIONS=false\nNOTE=\'to pause:\nSKIP_MIGRATIONS=true\'\nDB_PASSWORD=pw\n')
    setSkipMigrations(file, true)
    expect(readFileSync(file, 'utf8')).toBe('SKIP_MIGRATIONS=true\nNOTE=\'to pause:\nSKIP_MIGRATIONS=true\'\nDB_PASSWORD=pw\n')
  })

  it('keeps every line of a file with lone-CR line endings', () => {
    const { file } = envFile('DB_HOST=db\rDB_PASSWORD=pw\rSKIP_MIGRATIONS=false\rDB_NAME=app\r')
    setSkipMigrations(file, true)
    expect(readFileSync(file, 'utf8')).toBe('DB_HOST=db\rDB_PASSWORD=pw\rSKIP_MIGRATIONS=true\rDB_NAME=app\r')
    expect(readEnvFile(file).values).toEqual({ DB_HOST: 'db', DB_PASSWORD: 'pw', SKIP_MIGRATIONS: 'true', DB_NAME: 'app' })
    expect(state(file).occurrences).toEqual([{ line: 3, value: 'true' }])
  })

  it('keeps mixed line endings, the BOM, comments and the quote style', () => {
    const { file } = envFile('\uFEFF# app\r\nDB_USER=app\nexport SKIP_MIGRATIONS = \'TRUE\'  # pause\rDB_PASSWORD="a#b"\r\n')
    setSkipMigrations(file, true)
    expect(readFileSync(file, 'utf8')).toBe('\uFEFF# app\r\nDB_USER=app\nexport SKIP_MIGRATIONS = \'true\'  # pause\rDB_PASSWORD="a#b"\r\n')
  })

  it('appends to a file without a final line end using its last line end', () => {
    const { file } = envFile('A=1\r\nB=2')
    setSkipMigrations(file, false)
    expect(readFileSync(file, 'utf8')).toBe('A=1\r\nB=2\r\nSKIP_MIGRATIONS=false\r\n')
  })

  it('rewrites the file a symlink names and leaves the symlink (release layout live/.env -> shared/.env)', () => {
    const root = mkdtempSync(join(tmpdir(), 'dbsafe-toggle-'))
    mkdirSync(join(root, 'shared'))
    mkdirSync(join(root, 'live'))
    const shared = join(root, 'shared', '.env')
    writeFileSync(shared, 'DB_NAME=app\nSKIP_MIGRATIONS=false\n')
    chmodSync(shared, 0o640)
    symlinkSync('../shared/.env', join(root, 'live', '.env'))
    const { backup } = setSkipMigrations(join(root, 'live', '.env'), true)
    expect(lstatSync(join(root, 'live', '.env')).isSymbolicLink()).toBe(true)
    expect(readlinkSync(join(root, 'live', '.env'))).toBe('../shared/.env')
    expect(readFileSync(shared, 'utf8')).toBe('DB_NAME=app\nSKIP_MIGRATIONS=true\n')
    expect(statSync(shared).mode & 0o777).toBe(0o640)
    expect(readdirSync(join(root, 'live'))).toEqual(['.env'])
    expect(backup.startsWith(`${shared}.bak-`)).toBe(true)
    expect(readFileSync(backup, 'utf8')).toBe('DB_NAME=app\nSKIP_MIGRATIONS=false\n')
  })

  it('refuses a read-only file and leaves the directory exactly as it was', () => {
    const { dir, file } = envFile('SKIP_MIGRATIONS=false\n', 0o444)
    const before = snapshot(dir, file)
    expect(refusal(() => setSkipMigrations(file, true))).toMatchObject({ code: 'not-writable', status: 409, message: expect.stringContaining('read-only (mode 0444)') })
    expect(snapshot(dir, file)).toEqual(before)
  })

  it('refuses an immutable file and leaves the directory exactly as it was', () => {
    const { dir, file } = envFile('SKIP_MIGRATIONS=false\n')
    const before = snapshot(dir, file)
    execFileSync('chattr', ['+i', file])
    try {
      expect(refusal(() => setSkipMigrations(file, true))).toMatchObject({ code: 'not-writable', message: expect.stringContaining('immutable') })
    } finally {
      execFileSync('chattr', ['-i', file])
    }
    expect(snapshot(dir, file)).toEqual(before)
  })

  it('removes its temp file and backup when the rename fails (append-only file)', () => {
    const { dir, file } = envFile('SKIP_MIGRATIONS=false\n')
    const before = snapshot(dir, file)
    execFileSync('chattr', ['+a', file])
    try {
      expect(refusal(() => setSkipMigrations(file, true))).toMatchObject({ code: 'write-failed', data: { errno: 'EPERM' } })
    } finally {
      execFileSync('chattr', ['-a', file])
    }
    expect(snapshot(dir, file)).toEqual(before)
  })

  it('refuses a winning value over several lines, a hard-linked file and a file that is not UTF-8, writing nothing', () => {
    const multi = envFile('A=1\nSKIP_MIGRATIONS="false\n"\n')
    const multiBefore = snapshot(multi.dir, multi.file)
    expect(refusal(() => setSkipMigrations(multi.file, true))).toMatchObject({ code: 'multiline-value', data: { line: 2 } })
    expect(snapshot(multi.dir, multi.file)).toEqual(multiBefore)

    const linked = envFile('SKIP_MIGRATIONS=false\n')
    linkSync(linked.file, join(linked.dir, 'other-name'))
    const linkedBefore = snapshot(linked.dir, linked.file)
    expect(refusal(() => setSkipMigrations(linked.file, true))).toMatchObject({ code: 'hard-linked' })
    expect(snapshot(linked.dir, linked.file)).toEqual(linkedBefore)

    const latin1 = envFile('')
    writeFileSync(latin1.file, Buffer.from('DB_PASSWORD=caf\xe9\nSKIP_MIGRATIONS=false\n', 'latin1'))
    const latin1Before = snapshot(latin1.dir, latin1.file)
    expect(refusal(() => setSkipMigrations(latin1.file, true))).toMatchObject({ code: 'not-utf8' })
    expect(snapshot(latin1.dir, latin1.file)).toEqual(latin1Before)
  })
})
