import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { bootstrapAdmin } from './auth/users'
import type { TargetConfig } from './config/schema'
import { loadConfig } from './config/load'
import { migrateConsole } from './database/migrate-console'
import { poolFor } from './database/pools'
import { markInterruptedJobs } from './jobs/run'
import { endOrphanedMigrations } from './migrations/orphans'

export interface ConsoleContext {
  configFile: string
  targets: TargetConfig[]
  db: pg.Pool
  sessionSecret: string
}

let ready: Promise<ConsoleContext> | undefined

/**
 * Start-up: config first (synchronously, so a bad file stops the process before it listens),
 * then the console database is migrated and the first admin bootstrapped in the background.
 */
export function startConsole(env: NodeJS.ProcessEnv = process.env): Promise<ConsoleContext> {
  const config = loadConfig(env.DBSAFE_CONFIG || './dbsafe.config.json', env)
  ready = (async () => {
    const db = poolFor({ connectionString: config.consoleDatabaseUrl })
    await migrateConsole(db)
    await bootstrapAdmin(db, env.DBSAFE_ADMIN_PASSWORD)
    await markInterruptedJobs(db)
    // In the background: an unreachable target must not hold up the start.
    void endOrphanedMigrations(db, config.targets)
    const sessionSecret = env.DBSAFE_SESSION_SECRET || await storedSessionSecret(db)
    return { configFile: config.file, targets: config.targets, db, sessionSecret }
  })()
  return ready
}

export function useConsole(): Promise<ConsoleContext> {
  if (!ready) throw new Error('console not started')
  return ready
}

// Without DBSAFE_SESSION_SECRET, one random secret is kept in the console database, so sessions
// survive restarts and every instance behind a load balancer seals cookies alike.
async function storedSessionSecret(db: pg.Pool): Promise<string> {
  await db.query(`INSERT INTO settings (key, value) VALUES ('session_secret', $1) ON CONFLICT (key) DO NOTHING`,
    [randomBytes(32).toString('base64url')])
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM settings WHERE key = 'session_secret'`)
  return rows[0].value
}
