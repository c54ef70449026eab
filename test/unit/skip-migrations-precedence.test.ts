import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, populate } from 'dotenv'
import { describe, expect, it } from 'vitest'
import { targetConfigSchema } from '~server/config/schema'
import { targetSkipMigrations } from '~server/envfile/skip-migrations'

interface Setup { env?: string, unit?: string, dropIn?: string, pm2?: string, pm2Env?: string }
let n = 0
function stateOf(s: Setup) {
  const dir = mkdtempSync(join(tmpdir(), `dbsafe-precedence-${n++}-`))
  const files = { envFile: join(dir, '.env'), unit: join(dir, 'app.service'), pm2: join(dir, 'ecosystem.config.js') }
  if (s.env !== undefined) writeFileSync(files.envFile, s.env)
  if (s.unit !== undefined) writeFileSync(files.unit, s.unit)
  if (s.dropIn !== undefined) {
    mkdirSync(`${files.unit}.d`)
    writeFileSync(`${files.unit}.d/override.conf`, s.dropIn)
  }
  if (s.pm2 !== undefined) writeFileSync(files.pm2, s.pm2)
  const target = targetConfigSchema.parse({
    id: 'app', label: 'App', envFile: files.envFile, migrationsDir: dir, backupsDir: dir,
    ...(s.unit !== undefined ? { systemdUnit: files.unit } : {}),
    ...(s.pm2 !== undefined ? { pm2Ecosystem: { path: files.pm2, app: 'app', ...(s.pm2Env ? { env: s.pm2Env } : {}) } } : {}),
  })
  return { state: targetSkipMigrations(target), ...files }
}
// The app's own start: the process manager's variables are in process.env, then dotenv fills the rest.
function appSees(managerSets: Record<string, string>, envText: string): string | undefined {
  const processEnv: Record<string, string> = { ...managerSets }
  populate(processEnv, parse(envText))
  return processEnv.SKIP_MIGRATIONS
}
const pm2App = (blocks: string) => `module.exports = {\n  apps: [{\n    name: 'app',\n${blocks}\n  }],\n}\n`

describe('SKIP_MIGRATIONS as the process sees it', () => {
  it('lets systemd Environment=SKIP_MIGRATIONS=false beat the env file\'s true, and says so plainly', () => {
    const { state, unit, envFile } = stateOf({ env: 'DB_NAME=x\nSKIP_MIGRATIONS=true\n', unit: '[Unit]\nDescription=App\n\n[Service]\nUser=app\nWorkingDirectory=/srv/app\nEnvironment=SKIP_MIGRATIONS=false\n' })
    expect(appSees({ SKIP_MIGRATIONS: 'false' }, 'DB_NAME=x\nSKIP_MIGRATIONS=true\n')).toBe('false')
    expect(state).toMatchObject({ value: 'false', effective: false, certain: true, occurrences: [{ line: 2, value: 'true' }] })
    expect(state.winner).toMatchObject({ kind: 'systemd', file: unit, line: 7, value: 'false', wins: true })
    expect(state.sources.map((s) => [s.kind, s.line, s.wins])).toEqual([['systemd', 7, true], ['env-file', 2, false]])
    expect(state.sources[1]).toMatchObject({ file: envFile, note: expect.stringContaining('dotenv does not override') })
    expect(state.warnings).toContainEqual({ code: 'process-manager-overrides', message: `SKIP_MIGRATIONS=false in ${unit} line 7 overrides the env file's true: the app WILL run migrations on its next start.` })
  })

  it('counts an empty value set by systemd as set: dotenv does not fill it in', () => {
    const { state } = stateOf({ env: 'SKIP_MIGRATIONS=true\n', unit: '[Service]\nEnvironment=SKIP_MIGRATIONS=\n' })
    expect(appSees({ SKIP_MIGRATIONS: '' }, 'SKIP_MIGRATIONS=true\n')).toBe('')
    expect(state).toMatchObject({ value: '', effective: false, winner: { kind: 'systemd' } })
  })

  it('lets PM2\'s env_production win over its env block, over systemd and over the env file', () => {
    const { state, pm2 } = stateOf({
      env: 'SKIP_MIGRATIONS=false\n', unit: '[Service]\nEnvironment=SKIP_MIGRATIONS=false\n', pm2Env: 'production',
      pm2: pm2App("    env: { SKIP_MIGRATIONS: 'false' },\n    env_production: { SKIP_MIGRATIONS: true },"),
    })
    expect(state).toMatchObject({ value: 'true', effective: true, certain: true })
    expect(state.winner).toMatchObject({ kind: 'pm2', file: pm2, line: 5, block: 'env_production' })
    expect(state.sources.map((s) => `${s.kind}:${s.block ?? ''}:${s.wins}`)).toEqual(['systemd:Environment=:false', 'pm2:env:false', 'pm2:env_production:true', 'env-file::false'])
    expect(state.sources[1].note).toBe(`overridden by ${pm2} line 5`)
  })

  it('leaves the verdict to the env file when the process managers do not set it', () => {
    const { state, envFile } = stateOf({ env: 'SKIP_MIGRATIONS=true\n', unit: '[Service]\nEnvironment=NODE_ENV=production\n', pm2: pm2App("    env: { NODE_ENV: 'production' },") })
    expect(state).toMatchObject({ value: 'true', effective: true, certain: true, warnings: [] })
    expect(state.sources).toEqual([{ kind: 'env-file', file: envFile, line: 1, value: 'true', wins: true }])
  })

  it('leaves the verdict to the env file when a drop-in resets the unit\'s Environment=', () => {
    const { state } = stateOf({ env: 'SKIP_MIGRATIONS=true\n', unit: '[Service]\nEnvironment=SKIP_MIGRATIONS=false\n', dropIn: '[Service]\nEnvironment=\n' })
    expect(state).toMatchObject({ effective: true, winner: { kind: 'env-file' } })
    expect(state.sources[0]).toMatchObject({ kind: 'systemd', wins: false, note: expect.stringContaining('ignored: reset by the empty Environment=') })
  })

  it('has no winner and runs migrations when nothing sets it', () => {
    const { state } = stateOf({ env: 'DB_NAME=x\n', unit: '[Service]\n' })
    expect(state).toMatchObject({ value: null, effective: false, winner: null, sources: [], certain: true })
  })

  it('cannot be sure when PM2 sets it with code, and says where', () => {
    const { state, pm2 } = stateOf({ env: 'SKIP_MIGRATIONS=true\n', pm2: pm2App('    env: {\n      SKIP_MIGRATIONS: process.env.SKIP,\n    },') })
    expect(state).toMatchObject({ value: null, effective: false, certain: false, winner: { kind: 'pm2', line: 5, value: null } })
    expect(state.warnings.find((w) => w.code === 'cannot-tell')?.message).toContain(`${pm2} line 5 (env)`)
  })

  it('cannot be sure about a spread of code after the last setting, but is about one before it', () => {
    const after = stateOf({ env: 'SKIP_MIGRATIONS=true\n', pm2: pm2App("    env: { SKIP_MIGRATIONS: 'true', ...require('./more') },") }).state
    expect(after).toMatchObject({ certain: false, effective: true })
    const before = stateOf({ env: 'SKIP_MIGRATIONS=true\n', pm2: pm2App("    env: { ...require('./more'), SKIP_MIGRATIONS: 'true' },") }).state
    expect(before).toMatchObject({ certain: true, effective: true })
  })

  it('warns, naming each, when the configured PM2 and systemd files are missing, and still judges the env file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbsafe-precedence-missing-'))
    const [envFile, unit, pm2] = ['.env', 'app.service', 'ecosystem.config.js'].map((f) => join(dir, f))
    writeFileSync(envFile, 'SKIP_MIGRATIONS=true\n')
    const again = targetSkipMigrations(targetConfigSchema.parse({
      id: 'app', label: 'App', envFile, migrationsDir: dir, backupsDir: dir, systemdUnit: unit, pm2Ecosystem: { path: pm2, app: 'app' },
    }))
    expect(again).toMatchObject({ effective: true, certain: true, winner: { kind: 'env-file' } })
    expect(again.warnings.map((w) => [w.code, w.message.includes(w.code === 'pm2-file-missing' ? pm2 : unit)])).toEqual([['systemd-unit-missing', true], ['pm2-file-missing', true]])
  })

  it('warns about a near miss whichever source decides', () => {
    const { state } = stateOf({ env: 'SKIP_MIGRATIONS=true\n', unit: '[Service]\nEnvironment=SKIP_MIGRATIONS=TRUE\n' })
    expect(state.effective).toBe(false)
    expect(state.warnings.map((w) => w.code)).toContain('near-miss')
  })
})
