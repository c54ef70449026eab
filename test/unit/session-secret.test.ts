import { chmodSync, existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadSessionSecret } from '~server/auth/session-secret'
import { ConfigError, loadConfig } from '~server/config/load'

const fresh = () => mkdtempSync(join(tmpdir(), 'dbsafe-secret-'))

describe('session secret', () => {
  it('creates the file on first start with mode 0600, whatever the umask, and reads the same secret later', () => {
    const file = join(fresh(), '.dbsafe-session-secret')
    const umask = process.umask(0)
    try {
      const first = loadSessionSecret({}, file)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(first.length).toBeGreaterThanOrEqual(32)
      expect(loadSessionSecret({}, file)).toBe(first)
      expect(readdirSync(join(file, '..'))).toEqual(['.dbsafe-session-secret'])
    } finally {
      process.umask(umask)
    }
  })

  it('prefers DBSAFE_SESSION_SECRET and then writes no file', () => {
    const file = join(fresh(), 'secret')
    const secret = 'x'.repeat(40)
    expect(loadSessionSecret({ DBSAFE_SESSION_SECRET: secret }, file)).toBe(secret)
    expect(existsSync(file)).toBe(false)
  })

  it('refuses a file others can read, a short secret, and a file it cannot create', () => {
    const dir = fresh()
    const open = join(dir, 'open')
    writeFileSync(open, 'y'.repeat(40), { mode: 0o644 })
    chmodSync(open, 0o644)
    expect(() => loadSessionSecret({}, open)).toThrow(/readable by others \(mode 644\); chmod 600/)
    const short = join(dir, 'short')
    writeFileSync(short, 'tooshort\n', { mode: 0o600 })
    expect(() => loadSessionSecret({}, short)).toThrow(/at least 32 characters/)
    expect(() => loadSessionSecret({ DBSAFE_SESSION_SECRET: 'short' }, short)).toThrow(ConfigError)
    expect(() => loadSessionSecret({}, join(dir, 'missing-dir', 'secret'))).toThrow(ConfigError)
  })

  it('is looked for next to the config file, at sessionSecretFile, or at DBSAFE_SESSION_SECRET_FILE', () => {
    const dir = fresh()
    const config = join(dir, 'dbsafe.config.json')
    const target = { id: 'prod', label: 'Production', envFile: 'app.env', migrationsDir: 'migrations', backupsDir: 'backups' }
    const env = { DBSAFE_DATABASE_URL: 'postgresql://u:p@localhost/console' }
    writeFileSync(config, JSON.stringify({ targets: [target] }))
    expect(loadConfig(config, env).sessionSecretFile).toBe(join(dir, '.dbsafe-session-secret'))
    writeFileSync(config, JSON.stringify({ sessionSecretFile: 'secrets/session', targets: [target] }))
    expect(loadConfig(config, env).sessionSecretFile).toBe(join(dir, 'secrets/session'))
    expect(loadConfig(config, { ...env, DBSAFE_SESSION_SECRET_FILE: '/run/secrets/dbsafe' }).sessionSecretFile).toBe('/run/secrets/dbsafe')
  })
})
