import type { BlockList } from 'node:net'
import type pg from 'pg'
import { loadSessionSecret } from './auth/session-secret'
import { bootstrapAdmin } from './auth/users'
import type { TargetConfig } from './config/schema'
import { loadConfig } from './config/load'
import { migrateConsole } from './database/migrate-console'
import { poolFor } from './database/pools'
import { proxyList } from './http/proxies'
import { markInterruptedJobs } from './jobs/run'
import { endOrphanedMigrations } from './migrations/orphans'

export interface ConsoleContext {
  configFile: string
  targets: TargetConfig[]
  db: pg.Pool
  sessionSecret: string
  /** Peers whose X-Forwarded-* headers are believed. */
  trustedProxies: BlockList
}

let ready: Promise<ConsoleContext> | undefined

/**
 * Start-up: config and session secret first (synchronously, so a bad file stops the process before it
 * listens), then the console database is migrated and the first admin bootstrapped in the background.
 */
export function startConsole(env: NodeJS.ProcessEnv = process.env): Promise<ConsoleContext> {
  const config = loadConfig(env.DBSAFE_CONFIG || './dbsafe.config.json', env)
  const sessionSecret = loadSessionSecret(env, config.sessionSecretFile)
  const trustedProxies = proxyList(config.trustedProxies)
  ready = (async () => {
    const db = poolFor({ connectionString: config.consoleDatabaseUrl })
    await migrateConsole(db)
    await bootstrapAdmin(db, env.DBSAFE_ADMIN_PASSWORD)
    await markInterruptedJobs(db)
    // In the background: an unreachable target must not hold up the start.
    void endOrphanedMigrations(db, config.targets)
    return { configFile: config.file, targets: config.targets, db, sessionSecret, trustedProxies }
  })()
  return ready
}

export function useConsole(): Promise<ConsoleContext> {
  if (!ready) throw new Error('console not started')
  return ready
}
