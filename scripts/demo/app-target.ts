// The demo's third target: an app that keeps its own migrations, as the app behind this product does. TypeScript
// modules run by its own non-transactional runner (migrate.ts), applied ids in a JSON array in a config row.
import { randomBytes } from 'node:crypto'
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { commandEnvironment } from '~server/migrations/command/environment'
import { runMigrateCommand } from '~server/migrations/command/run'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const FIXTURE = fileURLToPath(new URL('./fixtures/app', import.meta.url))

/** The query that reads the app's tracker: the ids in `crearis_config.config->'migrations_run'`, in order. */
export const APP_TRACKER_QUERY = `SELECT m.id FROM crearis_config c
  CROSS JOIN LATERAL jsonb_array_elements_text(c.config->'migrations_run') WITH ORDINALITY AS m(id, ord)
  WHERE c.id = 1 ORDER BY m.ord`

export interface AppTargetPlan { id: string, label: string, database: string, appRole: string, port: number }

/**
 * Creates the app's database and role, copies the app, runs its own migrate command up to 003 and loads its
 * demo content, leaving 004 (a destructive `${table}` loop) and 005 (fails halfway on a duplicate) pending.
 * Returns the target's config and its env file.
 */
export async function createAppTarget(admin: pg.Client, workDir: string, p: AppTargetPlan) {
  const password = randomBytes(18).toString('base64url')
  // The app runs its own migrations on boot with its own login, so that role creates and owns the schema.
  await admin.query(`CREATE ROLE ${p.appRole} LOGIN PASSWORD '${password}'`)
  await admin.query(`CREATE DATABASE ${p.database} OWNER ${p.appRole}`)
  const appDir = join(workDir, 'app')
  cpSync(FIXTURE, appDir, { recursive: true })
  // The app's dependencies (pg, tsx), as after its own install.
  symlinkSync(join(REPO, 'node_modules'), join(appDir, 'node_modules'))
  const values = { DB_HOST: '127.0.0.1', DB_PORT: String(p.port), DB_NAME: p.database, DB_USER: p.appRole, DB_PASSWORD: password }
  const envFile = join(workDir, `${p.id}.env`)
  writeFileSync(envFile, [
    `# ${p.label}: read by dotenv when the app starts`,
    ...Object.entries(values).map(([k, v]) => `${k}=${v}`),
    'SKIP_MIGRATIONS=true',
    '',
  ].join('\n'), { mode: 0o600 })
  const migrateCommand = {
    argv: [join(REPO, 'node_modules/.bin/tsx'), join(appDir, 'migrate.ts')], cwd: appDir, timeoutMinutes: 5, upToArgs: ['--to', '{id}'],
  }
  const earlier = await runMigrateCommand(migrateCommand, {
    env: commandEnvironment(values, {}), secrets: [password], upTo: '003_event_registrations', onLine: () => {},
  })
  if (earlier.exitCode !== 0) throw new Error(`the demo app's migrate.ts failed: ${earlier.lastErrorLine}`)
  const db = new pg.Client({ host: '127.0.0.1', port: p.port, database: p.database, user: p.appRole, password })
  await db.connect()
  await db.query(readFileSync(join(appDir, 'demo-data.sql'), 'utf8'))
  await db.query('ANALYZE')
  await db.end()
  const backupsDir = join(workDir, 'backups', p.id)
  mkdirSync(backupsDir, { recursive: true })
  return {
    envFile, backupsDir,
    config: {
      id: p.id, label: p.label, envFile, backupsDir, retentionDays: 7,
      migrationsDir: join(appDir, 'server/database/migrations'),
      migrationsTracker: { query: APP_TRACKER_QUERY },
      migrationsIgnore: ['*_template.ts'],
      migrateCommand,
    },
  }
}
