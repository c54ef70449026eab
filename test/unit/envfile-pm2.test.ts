import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readPm2Env } from '~server/envfile/pm2'

const dir = mkdtempSync(join(tmpdir(), 'dbsafe-pm2-'))
let n = 0
function ecosystem(text: string, ext = 'js'): string {
  const path = join(dir, `ecosystem${n++}.config.${ext}`)
  writeFileSync(path, text)
  return path
}
// What PM2 gives the app: the last setting of each key in the blocks that apply.
function environment(path: string, env?: string, app = 'app'): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  for (const s of readPm2Env({ path, app, env }).settings) if (s.key && !s.ignored) out[s.key] = s.value
  return out
}
const skip = (path: string, env?: string) => readPm2Env({ path, app: 'app', env }).settings.filter((s) => s.key === 'SKIP_MIGRATIONS')

describe('PM2 ecosystem files, read without running them', () => {
  it.each([
    ['json', '{\n  "apps": [{\n    "name": "app",\n    "env": { "SKIP_MIGRATIONS": "true" }\n  }]\n}\n', 4],
    ['js', "module.exports = {\n  apps: [{\n    name: 'app',\n    env: { SKIP_MIGRATIONS: 'true' },\n  }],\n}\n", 4],
    ['cjs', "'use strict'\nmodule.exports = {\n  apps: [{ name: 'app', script: 'server.js',\n    env: { SKIP_MIGRATIONS: 'true' } }],\n}\n", 4],
    ['mjs', "export default {\n  apps: [\n    { name: 'app',\n      env: { \"SKIP_MIGRATIONS\": `true` } },\n  ],\n}\n", 4],
    ['js', "const config = {\n  apps: [{ name: 'other' }, {\n    name: 'app',\n    env: { SKIP_MIGRATIONS: 'true' } }],\n}\nmodule.exports = config\n", 4],
  ])('finds the app and its env block in a .%s file', (ext, text, line) => {
    const path = ecosystem(text, ext)
    expect(skip(path)).toEqual([{ key: 'SKIP_MIGRATIONS', file: path, line, value: 'true', block: 'env' }])
  })

  it('reads a .json file as PM2 does, as a JavaScript expression, comments and all', () => {
    const path = ecosystem("// PM2 evaluates .json files\n{ apps: [{ name: 'app', env: { SKIP_MIGRATIONS: 'true' } }] }\n", 'json')
    expect(environment(path).SKIP_MIGRATIONS).toBe('true')
  })

  it('puts env_<name> over env when the app is started with --env <name>, and lists the blocks that do not apply', () => {
    const path = ecosystem(`module.exports = { apps: [{
  name: 'app',
  env: { SKIP_MIGRATIONS: 'true', PORT: 3000 },
  env_production: { SKIP_MIGRATIONS: 'false' },
  env_staging: { SKIP_MIGRATIONS: 'staging' },
}] }`)
    expect(environment(path, 'production')).toEqual({ SKIP_MIGRATIONS: 'false', PORT: '3000' })
    expect(environment(path)).toEqual({ SKIP_MIGRATIONS: 'true', PORT: '3000' })
    const listed = skip(path, 'production')
    expect(listed.map((s) => [s.block, s.line, s.value, !!s.ignored])).toEqual([
      ['env', 3, 'true', false], ['env_production', 4, 'false', false], ['env_staging', 5, 'staging', true],
    ])
    expect(listed[2].ignored).toContain('--env staging')
  })

  it.each([
    ['true', 'true'],
    ['false', 'false'],
    ['1', '1'],
    ['null', 'null'],
    ['-1', '-1'],
  ])('gives a literal %s to the process as the string a spawned child gets', (literal, value) => {
    const path = ecosystem(`module.exports = { apps: [{ name: 'app', env: { SKIP_MIGRATIONS: ${literal} } }] }`)
    // Node's child_process turns each env value into a string with `${value}`.
    expect(value).toBe(`${JSON.parse(literal)}`)
    expect(environment(path).SKIP_MIGRATIONS).toBe(value)
  })

  it('keeps the last of duplicate keys and inlines a spread of a literal const', () => {
    const path = ecosystem(`const shared = { SKIP_MIGRATIONS: 'true', LOG: 'info' }
module.exports = { apps: [{ name: 'app', env: { ...shared, SKIP_MIGRATIONS: 'false', LOG: 'debug', LOG: 'warn' } }] }`)
    expect(environment(path)).toEqual({ SKIP_MIGRATIONS: 'false', LOG: 'warn' })
  })

  it.each([
    ['process.env.SKIP', 'process.env.SKIP'],
    ["String(process.env.NODE_ENV !== 'production')", 'String(process.env.NODE_ENV'],
    ['`${flag}`', '`${flag}`'],
  ])('reports %s as set but not readable statically, with its line', (expr, shown) => {
    const path = ecosystem(`module.exports = { apps: [{ name: 'app',\n  env: {\n    SKIP_MIGRATIONS: ${expr},\n  } }] }`)
    const [s] = skip(path)
    expect(s).toMatchObject({ line: 3, value: null })
    expect(s.note).toContain(shown)
  })

  it('reports a spread of code as something that may set any variable', () => {
    const path = ecosystem("module.exports = { apps: [{ name: 'app', env: {\n  ...require('./shared-env'),\n} }] }")
    expect(readPm2Env({ path, app: 'app' }).settings).toEqual([expect.objectContaining({ key: null, line: 2, value: null, note: expect.stringContaining("require('./shared-env')") })])
  })

  it('never runs the file: its side effects do not happen', () => {
    const marker = join(dir, 'ran')
    const path = ecosystem(`require('child_process').execSync('touch ${marker}')
require('fs').writeFileSync('${marker}', 'x')
module.exports = { apps: [{ name: 'app', env: { SKIP_MIGRATIONS: 'true' } }] }
process.exit(1)`)
    expect(environment(path).SKIP_MIGRATIONS).toBe('true')
    expect(existsSync(marker)).toBe(false)
  })

  it('names an app without a name after its script, as PM2 does', () => {
    const path = ecosystem("module.exports = { apps: [{ script: './dist/app.js', env: { SKIP_MIGRATIONS: 'true' } }] }")
    expect(environment(path).SKIP_MIGRATIONS).toBe('true')
  })

  it('warns, naming the file, when the app is not there, and when the file is missing', () => {
    const path = ecosystem("module.exports = { apps: [{ name: 'web', env: { SKIP_MIGRATIONS: 'false' } }] }")
    expect(readPm2Env({ path, app: 'app' })).toEqual({ kind: 'pm2', settings: [], warnings: [{ code: 'pm2-app-missing', message: expect.stringContaining(path) }] })
    expect(readPm2Env({ path: '/nonexistent/ecosystem.config.js', app: 'app' }).warnings).toEqual([{ code: 'pm2-file-missing', message: expect.stringContaining('/nonexistent/ecosystem.config.js') }])
  })

  it('cannot be sure when the apps list is code', () => {
    const path = ecosystem("module.exports = { apps: require('./apps.json') }")
    const read = readPm2Env({ path, app: 'app' })
    expect(read.warnings[0].message).toMatch(/code dbsafe does not run/)
    expect(read.settings).toEqual([expect.objectContaining({ key: null, value: null })])
  })

  it('cannot be sure about a file that does not parse or exports nothing it can read, and says which', () => {
    const broken = readPm2Env({ path: ecosystem("module.exports = { apps: [{ name: 'app',\n  env: { SKIP_MIGRATIONS: 'true' }\n]}"), app: 'app' })
    expect(broken.settings).toEqual([expect.objectContaining({ key: null, value: null, note: expect.stringContaining('cannot parse') })])
    const built = readPm2Env({ path: ecosystem("module.exports = require('./real-config')"), app: 'app' })
    expect(built.settings).toEqual([expect.objectContaining({ key: null, value: null, note: expect.stringContaining("require('./real-config')") })])
    const none = readPm2Env({ path: ecosystem("console.log('no export')"), app: 'app' })
    expect(none.settings).toEqual([expect.objectContaining({ key: null, value: null, note: expect.stringContaining('exports no') })])
  })

  it('reads through a symlink and refuses a huge file without reading it', () => {
    const real = ecosystem("module.exports = { apps: [{ name: 'app', env: { SKIP_MIGRATIONS: 'true' } }] }")
    const link = join(dir, 'linked.config.js')
    symlinkSync(real, link)
    expect(environment(link).SKIP_MIGRATIONS).toBe('true')
    const huge = ecosystem(`module.exports = { apps: [] }\n//${'x'.repeat(2 << 20)}\n`)
    expect(readPm2Env({ path: huge, app: 'app' }).settings[0].note).toMatch(/cannot read it \(\d+ bytes/)
  })
})
