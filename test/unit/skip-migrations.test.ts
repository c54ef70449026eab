import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readEnvFile } from '~server/envfile/read'
import { skipMigrationsState } from '~server/envfile/skip-migrations'

const dir = mkdtempSync(join(tmpdir(), 'dbsafe-env-'))
function stateOf(text: string) {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.env`)
  writeFileSync(file, text)
  return skipMigrationsState(readEnvFile(file))
}

describe('SKIP_MIGRATIONS by the app rule process.env.SKIP_MIGRATIONS === "true"', () => {
  it.each([
    ['SKIP_MIGRATIONS=true', 'true', true],
    ['export SKIP_MIGRATIONS=true', 'true', true],
    ['SKIP_MIGRATIONS = true', 'true', true],
    ['SKIP_MIGRATIONS="true"', 'true', true],
    ["SKIP_MIGRATIONS='true'", 'true', true],
    ['SKIP_MIGRATIONS=true  # <-- KEY SETTING', 'true', true],
    ['SKIP_MIGRATIONS=true   ', 'true', true],
    ['SKIP_MIGRATIONS="true "', 'true ', false],
    ['SKIP_MIGRATIONS=TRUE', 'TRUE', false],
    ['SKIP_MIGRATIONS=True', 'True', false],
    ['SKIP_MIGRATIONS=1', '1', false],
    ['SKIP_MIGRATIONS=yes', 'yes', false],
    ['SKIP_MIGRATIONS=false', 'false', false],
    ['SKIP_MIGRATIONS=', '', false],
    ['# SKIP_MIGRATIONS=true', null, false],
    ['DB_USER=app', null, false],
  ])('%j → value %j, skipped %s', (line, value, effective) => {
    const s = stateOf(`DB_NAME=x\n${line}\n`)
    expect(s.value).toBe(value)
    expect(s.effective).toBe(effective)
  })

  it('takes the last of duplicate keys, as dotenv does, and warns with every line', () => {
    const s = stateOf('SKIP_MIGRATIONS=true\nDB_USER=app\n# later, by echo >> .env\nSKIP_MIGRATIONS=false\n')
    expect(s.effective).toBe(false)
    expect(s.value).toBe('false')
    expect(s.occurrences).toEqual([{ line: 1, value: 'true' }, { line: 4, value: 'false' }])
    expect(s.warnings.map((w) => w.code)).toEqual(['duplicate-key'])
    expect(s.warnings[0].message).toContain('line 4')
  })

  it.each(['TRUE', '1', 'yes', 'On'])('warns that %j looks on but is off', (v) => {
    const s = stateOf(`SKIP_MIGRATIONS=${v}\n`)
    expect(s.effective).toBe(false)
    expect(s.warnings.map((w) => w.code)).toContain('near-miss')
  })

  it('warns about a value with a trailing space inside quotes', () => {
    const s = stateOf('SKIP_MIGRATIONS="true "\n')
    expect(s.warnings.map((w) => w.code)).toEqual(['near-miss'])
  })

  it('does not warn about a plain false or a clean true', () => {
    expect(stateOf('SKIP_MIGRATIONS=false\n').warnings).toEqual([])
    expect(stateOf('SKIP_MIGRATIONS=true\n').warnings).toEqual([])
  })

  it('reports a missing env file: the app would see the key unset and run migrations', () => {
    const s = skipMigrationsState(readEnvFile(join(dir, 'nope.env')))
    expect(s).toMatchObject({ exists: false, value: null, effective: false })
    expect(s.warnings.map((w) => w.code)).toEqual(['env-file-missing'])
  })

  it('handles CRLF line endings', () => {
    const s = stateOf('DB_NAME=x\r\nSKIP_MIGRATIONS=true\r\n')
    expect(s).toMatchObject({ value: 'true', effective: true, occurrences: [{ line: 2, value: 'true' }] })
  })
})
