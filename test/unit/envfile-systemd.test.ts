import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readSystemdEnv } from '~server/envfile/systemd'

let n = 0
/** A unit file (and its drop-ins) in a fresh directory; returns the unit's path. */
function unit(text: string, dropIns: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `dbsafe-systemd-${n++}-`))
  const path = join(dir, 'app.service')
  writeFileSync(path, text)
  if (Object.keys(dropIns).length) mkdirSync(`${path}.d`)
  for (const [name, body] of Object.entries(dropIns)) writeFileSync(join(`${path}.d`, name), body)
  return path
}
// What the service's process gets: the last setting of each key that systemd does not ignore.
function environment(path: string): Record<string, string | null> {
  const env: Record<string, string | null> = {}
  for (const s of readSystemdEnv(path).settings) if (s.key && !s.ignored) env[s.key] = s.value
  return env
}
const skip = (path: string) => readSystemdEnv(path).settings.filter((s) => s.key === 'SKIP_MIGRATIONS')

describe('systemd Environment= as systemd.exec(5) documents it', () => {
  it('splits the man page example into its three variables', () => {
    const path = unit('[Service]\nEnvironment="VAR1=word1 word2" VAR2=word3 "VAR3=$word 5 6"\n')
    expect(environment(path)).toEqual({ VAR1: 'word1 word2', VAR2: 'word3', VAR3: '$word 5 6' })
  })

  it.each([
    ['single quotes', "Environment='SKIP_MIGRATIONS=true'", 'true'],
    ['quotes inside the word', 'Environment=SKIP_MIGRATIONS="true"', 'true'],
    ['a C escape', 'Environment=SKIP_MIGRATIONS=tru\\x65', 'true'],
    ['an escaped space', 'Environment=SKIP_MIGRATIONS=true\\sthen', 'true then'],
    ['%% for a percent sign', 'Environment=SKIP_MIGRATIONS=100%%', '100%'],
    ['spaces around =', 'Environment = SKIP_MIGRATIONS=false', 'false'],
  ])('reads %s', (_, line, value) => {
    expect(environment(unit(`[Service]\n${line}\n`)).SKIP_MIGRATIONS).toBe(value)
  })

  it('joins a line ending in a backslash with the next, skipping comment lines between, and records the first line', () => {
    const path = unit('[Service]\nExecStart=/usr/bin/node app.js\nEnvironment=A=1 \\\n# a comment inside\n  SKIP_MIGRATIONS=false\n')
    expect(environment(path)).toEqual({ A: '1', SKIP_MIGRATIONS: 'false' })
    expect(skip(path)[0]).toMatchObject({ line: 3, file: path, block: 'Environment=' })
  })

  it('lets the later of two assignments win', () => {
    const path = unit('[Service]\nEnvironment=SKIP_MIGRATIONS=true\nEnvironment=SKIP_MIGRATIONS=false\n')
    expect(environment(path).SKIP_MIGRATIONS).toBe('false')
    expect(skip(path).map((s) => s.line)).toEqual([2, 3])
  })

  it('reads drop-ins after the unit in lexical order, so 9-late.conf comes after 10-early.conf', () => {
    const path = unit('[Service]\nEnvironment=SKIP_MIGRATIONS=unit\n', {
      '9-late.conf': '[Service]\nEnvironment=SKIP_MIGRATIONS=nine\n',
      '10-early.conf': '[Service]\nEnvironment=SKIP_MIGRATIONS=ten\n',
      'ignored.txt': '[Service]\nEnvironment=SKIP_MIGRATIONS=txt\n',
    })
    expect(skip(path).map((s) => s.value)).toEqual(['unit', 'ten', 'nine'])
    expect(environment(path).SKIP_MIGRATIONS).toBe('nine')
  })

  it('drops everything before an empty Environment=, in the unit and across drop-ins', () => {
    const path = unit('[Service]\nEnvironment=SKIP_MIGRATIONS=false A=1\n', { 'override.conf': '[Service]\nEnvironment=\nEnvironment=B=2\n' })
    expect(environment(path)).toEqual({ B: '2' })
    expect(skip(path)[0].ignored).toContain(`empty Environment= in ${path}.d/override.conf line 2`)
  })

  it('ignores Environment= outside [Service] and a line with an unterminated quote, which it names', () => {
    const path = unit('[Unit]\nEnvironment=SKIP_MIGRATIONS=false\n[Service]\nEnvironment="SKIP_MIGRATIONS=false\n')
    const read = readSystemdEnv(path)
    expect(read.settings).toEqual([])
    expect(read.warnings[0].message).toContain(`${path} line 4`)
  })

  it('skips a drop-in masked by a link to /dev/null', () => {
    const path = unit('[Service]\nEnvironment=SKIP_MIGRATIONS=true\n')
    mkdirSync(`${path}.d`)
    symlinkSync('/dev/null', `${path}.d/masked.conf`)
    expect(readSystemdEnv(path)).toMatchObject({ warnings: [], settings: [{ value: 'true' }] })
  })
})

describe('systemd EnvironmentFile=', () => {
  function withFile(envText: string, directive = 'EnvironmentFile=%s', before = '', after = '') {
    const path = unit('')
    const envPath = `${path}.env`
    writeFileSync(envPath, envText)
    writeFileSync(path, `[Service]\n${before}${directive.replace('%s', envPath)}\n${after}`)
    return { path, envPath }
  }

  it('overrides Environment=, even one written after it', () => {
    const { path, envPath } = withFile('SKIP_MIGRATIONS=true\n', 'EnvironmentFile=%s', '', 'Environment=SKIP_MIGRATIONS=false\n')
    expect(environment(path).SKIP_MIGRATIONS).toBe('true')
    expect(skip(path).at(-1)).toMatchObject({ file: envPath, line: 1, block: `EnvironmentFile= of ${path} line 2` })
  })

  it.each([
    ['a plain value', 'SKIP_MIGRATIONS=true', 'true'],
    ['surrounding blanks', '  SKIP_MIGRATIONS =  true  ', 'true'],
    ['double quotes', 'SKIP_MIGRATIONS="true"', 'true'],
    ['single quotes', "SKIP_MIGRATIONS='tr\\ue'", 'tr\\ue'],
    ['an escaped quote in double quotes', 'SKIP_MIGRATIONS="a\\"b"', 'a"b'],
    ['another escape in double quotes, kept', 'SKIP_MIGRATIONS="a\\nb"', 'a\\nb'],
    ['a # after the value, which dotenv would drop', 'SKIP_MIGRATIONS=true # skip for now', 'true # skip for now'],
    ['a continuation', 'SKIP_MIGRATIONS=tr\\\nue', 'true'],
  ])('reads %s', (_, line, value) => {
    expect(environment(withFile(`DB_HOST=x\n${line}\n`).path).SKIP_MIGRATIONS).toBe(value)
  })

  it('explains that a trailing "# comment" stays in the value', () => {
    expect(skip(withFile('SKIP_MIGRATIONS=true # skip\n').path)[0].note).toMatch(/no inline comments/)
  })

  it('drops an `export` line, which dotenv would read, and says so', () => {
    const { path } = withFile('export SKIP_MIGRATIONS=true\n')
    expect(environment(path).SKIP_MIGRATIONS).toBeUndefined()
    expect(skip(path)[0]).toMatchObject({ value: 'true', ignored: expect.stringContaining('export') })
  })

  it('skips comment lines starting with # or ;', () => {
    expect(environment(withFile('# SKIP_MIGRATIONS=false\n; SKIP_MIGRATIONS=false\nSKIP_MIGRATIONS=true\n').path)).toEqual({ SKIP_MIGRATIONS: 'true' })
  })

  it('is quiet about a missing file with a "-" prefix and warns, naming it, without one', () => {
    const optional = unit('[Service]\nEnvironmentFile=-/nonexistent/app.env\n')
    expect(readSystemdEnv(optional)).toEqual({ kind: 'systemd', settings: [], warnings: [] })
    const required = unit('[Service]\nEnvironmentFile=/nonexistent/app.env\n')
    expect(readSystemdEnv(required).warnings).toEqual([expect.objectContaining({ code: 'environment-file-missing', message: expect.stringContaining('/nonexistent/app.env') })])
    expect(readSystemdEnv(required).warnings[0].message).toMatch(/refuse to start/)
  })

  it('drops the files named before an empty EnvironmentFile=', () => {
    const { path } = withFile('SKIP_MIGRATIONS=false\n', 'EnvironmentFile=%s', '', 'EnvironmentFile=\nEnvironment=SKIP_MIGRATIONS=true\n')
    expect(environment(path).SKIP_MIGRATIONS).toBe('true')
  })

  it('expands a wildcard in the file name, in name order', () => {
    const path = unit('')
    const dir = mkdtempSync(join(tmpdir(), 'dbsafe-envd-'))
    writeFileSync(join(dir, 'b.env'), 'SKIP_MIGRATIONS=b\n')
    writeFileSync(join(dir, 'a.env'), 'SKIP_MIGRATIONS=a\n')
    writeFileSync(path, `[Service]\nEnvironmentFile=${dir}/*.env\n`)
    expect(skip(path).map((s) => s.value)).toEqual(['a', 'b'])
  })
})

describe('systemd unit files that are odd', () => {
  it('warns, naming the unit, when it does not exist', () => {
    expect(readSystemdEnv('/nonexistent/app.service')).toEqual({
      kind: 'systemd', settings: [], warnings: [{ code: 'systemd-unit-missing', message: expect.stringContaining('/nonexistent/app.service') }],
    })
  })

  it('follows a symlinked unit and reads the drop-ins beside the link, as systemd does', () => {
    const target = unit('[Service]\nEnvironment=SKIP_MIGRATIONS=true\n')
    const dir = mkdtempSync(join(tmpdir(), 'dbsafe-link-'))
    const link = join(dir, 'app.service')
    symlinkSync(target, link)
    mkdirSync(`${link}.d`)
    writeFileSync(`${link}.d/override.conf`, '[Service]\nEnvironment=SKIP_MIGRATIONS=false\n')
    expect(environment(link).SKIP_MIGRATIONS).toBe('false')
  })

  it('does not read a huge environment file, and says why', () => {
    const path = unit('')
    const envPath = `${path}.env`
    writeFileSync(envPath, `SKIP_MIGRATIONS=true\n${'#'.repeat(2 << 20)}\n`)
    writeFileSync(path, `[Service]\nEnvironmentFile=${envPath}\n`)
    const read = readSystemdEnv(path)
    expect(read.settings).toEqual([])
    expect(read.warnings[0].message).toMatch(new RegExp(`cannot read ${envPath} \\(\\d+ bytes`))
  })

  it('does not hang on a FIFO named as an environment file', () => {
    const path = unit('')
    execFileSync('mkfifo', [`${path}.fifo`])
    writeFileSync(path, `[Service]\nEnvironmentFile=${path}.fifo\n`)
    expect(readSystemdEnv(path).warnings[0].message).toContain('not a regular file')
  })

  it('reports a symlink loop as unreadable instead of failing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbsafe-loop-'))
    symlinkSync(join(dir, 'b'), join(dir, 'a'))
    symlinkSync(join(dir, 'a'), join(dir, 'b'))
    const path = unit(`[Service]\nEnvironmentFile=${dir}/a\n`)
    expect(readSystemdEnv(path).warnings[0].message).toContain('symlink loop')
  })
})
