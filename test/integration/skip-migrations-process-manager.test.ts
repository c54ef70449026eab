import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../support/db'
import { json } from '../support/http'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

// Two targets whose app runs under a process manager, beside the fixture's plain "main".
const dir = mkdtempSync(join(tmpdir(), 'dbsafe-procenv-'))
const files = {
  systemdEnv: join(dir, 'systemd.env'), unit: join(dir, 'app.service'),
  pm2Env: join(dir, 'pm2.env'), ecosystem: join(dir, 'ecosystem.config.js'),
}
const UNIT = '[Unit]\nDescription=The app\n\n[Service]\nUser=app\nWorkingDirectory=/srv/app\nEnvironment=SKIP_MIGRATIONS=false\nExecStart=/usr/bin/node .output/server/index.mjs\n'
const ECOSYSTEM = `module.exports = {
  apps: [{
    name: 'app',
    script: '.output/server/index.mjs',
    env: { SKIP_MIGRATIONS: 'false' },
    env_production: { SKIP_MIGRATIONS: true },
  }],
}
`

describe('SKIP_MIGRATIONS under systemd and PM2, through the API', () => {
  let c: ConsoleFixture
  let admin: string
  beforeAll(async () => {
    writeFileSync(files.systemdEnv, 'SKIP_MIGRATIONS=true\n')
    writeFileSync(files.unit, UNIT)
    writeFileSync(files.pm2Env, 'SKIP_MIGRATIONS=false\n')
    writeFileSync(files.ecosystem, ECOSYSTEM)
    c = await startConsoleFixture({
      extraTargets: [
        { id: 'under-systemd', label: 'Under systemd', envFile: files.systemdEnv, systemdUnit: files.unit, migrationsDir: dir, backupsDir: dir },
        { id: 'under-pm2', label: 'Under PM2', envFile: files.pm2Env, pm2Ecosystem: { path: files.ecosystem, app: 'app', env: 'production' }, migrationsDir: dir, backupsDir: dir },
      ],
    })
    admin = await c.login('admin', c.adminPassword)
  })
  afterAll(async () => { await c?.cleanup() })
  const get = async (target: string) => json(await c.request(`/api/targets/${target}/skip-migrations`, { cookie: admin }))
  const put = (target: string, enabled: boolean) => c.request(`/api/targets/${target}/skip-migrations`, { method: 'PUT', cookie: admin, body: { enabled, confirm: target } })

  it('lets systemd Environment=SKIP_MIGRATIONS=false beat the env file\'s true: the verdict is off', async () => {
    const state = await get('under-systemd')
    expect(state).toMatchObject({ value: 'false', effective: false, certain: true, winner: { kind: 'systemd', file: files.unit, line: 7 } })
    expect(state.sources.map((s: any) => [s.kind, s.file, s.line, s.value, s.wins])).toEqual([
      ['systemd', files.unit, 7, 'false', true], ['env-file', files.systemdEnv, 1, 'true', false],
    ])
    expect(state.warnings.map((w: any) => w.message)).toContain(`SKIP_MIGRATIONS=false in ${files.unit} line 7 overrides the env file's true: the app WILL run migrations on its next start.`)
  })

  it('refuses the toggle with 409 naming the unit file and line, leaving the env file alone, and audits the refusal', async () => {
    const res = await put('under-systemd', true)
    expect(res.status).toBe(409)
    const body = await json(res)
    expect(body.message).toContain(`${files.unit} line 7`)
    expect(body.data).toMatchObject({ code: 'set-by-process-manager', kind: 'systemd', file: files.unit, line: 7 })
    expect(readFileSync(files.systemdEnv, 'utf8')).toBe('SKIP_MIGRATIONS=true\n')
    expect(readdirSync(dir).filter((f) => f.includes('.bak-'))).toEqual([])
    const audit = await queryRows(c.consoleDatabaseUrl, "SELECT outcome FROM audit_log WHERE action = 'skip-migrations.set' AND target = 'under-systemd'")
    expect(audit.map((r) => r.outcome.split(':')[0])).toEqual(['refused 409'])
  })

  it('lets PM2\'s env_production win for an app started with --env production, on the overview too', async () => {
    const state = await get('under-pm2')
    expect(state).toMatchObject({ value: 'true', effective: true, winner: { kind: 'pm2', file: files.ecosystem, line: 6, block: 'env_production' } })
    expect(state.sources.map((s: any) => [s.kind, s.block ?? null, s.value, s.wins])).toEqual([
      ['pm2', 'env', 'false', false], ['pm2', 'env_production', 'true', true], ['env-file', null, 'false', false],
    ])
    const overview = await json(await c.request('/api/targets/under-pm2/overview', { cookie: admin }))
    expect(overview.skipMigrations).toMatchObject({ effective: true, winner: { kind: 'pm2', line: 6 } })
    const res = await put('under-pm2', false)
    expect(res.status).toBe(409)
    expect((await json(res)).message).toContain(`${files.ecosystem} line 6`)
  })

  it('keeps the toggle working for a target without a process manager', async () => {
    const res = await put('main', false)
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ value: 'false', effective: false, winner: { kind: 'env-file' }, certain: true })
  })
})
