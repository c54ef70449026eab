// A running console over a real console database and one or more real target databases.
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { targetConfigSchema, type TargetConfig } from '~server/config/schema'
import { loginCookie, startConsoleProcess, writeConfig, type RunningConsole } from './console'
import { cluster, createTestDatabase } from './db'

export interface TargetFixture { id: string, database: string, appRole: string, appPassword: string, envFile: string, dir: string }

export interface ConsoleFixture extends RunningConsole {
  adminPassword: string
  consoleDatabaseUrl: string
  /** The environment the console was started with: start a second instance on the same state. */
  env: Record<string, string>
  targets: TargetFixture[]
  /** Logs in and returns the session cookie header value. */
  login: (username: string, password: string) => Promise<string>
  /** Adds a user with this role (password `<username>-password-1`, as the admin) and returns its session cookie. */
  signInAs: (username: string, role: 'viewer' | 'operator' | 'admin') => Promise<string>
  request: (path: string, init?: { method?: string, body?: unknown, cookie?: string, headers?: Record<string, string> }) => Promise<Response>
  cleanup: () => Promise<void>
}

/** A target database with a login app role that has ordinary app grants, and an env file pointing at it. */
export async function createTargetFixture(id: string, envExtra = 'SKIP_MIGRATIONS=true\n'): Promise<TargetFixture & { drop: () => Promise<void> }> {
  const db = await createTestDatabase(id)
  const appRole = `app_${db.name}`
  const appPassword = randomBytes(12).toString('hex')
  await db.pool.query(`CREATE ROLE ${appRole} LOGIN PASSWORD '${appPassword}'`)
  await db.pool.query(`CREATE TABLE things (id serial PRIMARY KEY, name text); GRANT SELECT, INSERT, UPDATE, DELETE ON things TO ${appRole}; GRANT USAGE, SELECT ON things_id_seq TO ${appRole}`)
  const dir = mkdtempSync(join(tmpdir(), `dbsafe-${id}-`))
  mkdirSync(join(dir, 'migrations'))
  mkdirSync(join(dir, 'backups'))
  const envFile = join(dir, 'app.env')
  writeFileSync(envFile, `DB_HOST=127.0.0.1\nDB_PORT=${cluster().port}\nDB_NAME=${db.name}\nDB_USER=${appRole}\nDB_PASSWORD=${appPassword}\n${envExtra}`)
  return {
    id, database: db.name, appRole, appPassword, envFile, dir,
    drop: async () => {
      await db.drop()
      const admin = new pg.Client(cluster().adminUrl)
      await admin.connect()
      await admin.query(`DROP ROLE IF EXISTS ${appRole}`)
      await admin.end()
    },
  }
}

/** The config of target "main" on a target fixture, as the server modules read it. */
export function targetConfigFor(fx: TargetFixture, settings: Partial<TargetConfig> = {}): TargetConfig {
  return targetConfigSchema.parse({ id: 'main', label: 'Main', envFile: fx.envFile, migrationsDir: join(fx.dir, 'migrations'), backupsDir: join(fx.dir, 'backups'), ...settings })
}

export async function startConsoleFixture(opts: {
  extraTargets?: object[], targets?: string[], targetSettings?: Record<string, unknown>
  /** Top-level config keys besides the targets, e.g. trustedProxies. */
  config?: Record<string, unknown>
  env?: Record<string, string>
} = {}): Promise<ConsoleFixture> {
  const consoleDb = await createTestDatabase('console')
  const targets = await Promise.all((opts.targets ?? ['main']).map((id) => createTargetFixture(id)))
  const config = writeConfig({
    ...opts.config,
    targets: [
      ...targets.map((t) => ({ id: t.id, label: `Target ${t.id}`, envFile: t.envFile, migrationsDir: join(t.dir, 'migrations'), backupsDir: join(t.dir, 'backups'), ...opts.targetSettings })),
      ...(opts.extraTargets ?? []),
    ],
  })
  const adminPassword = randomBytes(12).toString('hex')
  const env = { DBSAFE_CONFIG: config, DBSAFE_DATABASE_URL: consoleDb.url, DBSAFE_ADMIN_PASSWORD: adminPassword, ...opts.env }
  const running = await startConsoleProcess(env)
  const request: ConsoleFixture['request'] = (path, init = {}) => fetch(running.url + path, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.cookie ? { cookie: init.cookie } : {}), ...init.headers },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    redirect: 'manual',
  })
  const login = (username: string, password: string) => loginCookie(running.url, username, password)
  const signInAs: ConsoleFixture['signInAs'] = async (username, role) => {
    const password = `${username}-password-1`
    const res = await request('/api/users', { method: 'POST', cookie: await login('admin', adminPassword), body: { username, password, role } })
    if (res.status !== 201) throw new Error(`adding ${username}: ${res.status} ${await res.text()}`)
    return login(username, password)
  }
  return {
    ...running, adminPassword, consoleDatabaseUrl: consoleDb.url, env, targets, login, signInAs, request,
    cleanup: async () => {
      await running.stop()
      await Promise.all(targets.map((t) => t.drop()))
      await consoleDb.drop()
    },
  }
}
