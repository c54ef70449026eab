import type pg from 'pg'
import type { ClientConfig } from 'pg'
import type { TargetConfig } from '../config/schema'
import { poolFor } from './pools'
import { watchReachability } from './reachability'
import { targetConnection } from '../envfile/connection'
import { readEnvFile, type EnvFile } from '../envfile/read'
import { UnreachableError } from '../errors'

/** The target has no usable connection settings: as unreachable as a server that is down. */
export class NoConnectionError extends UnreachableError {}

/** The connection as the app makes it. Throws with a plain reason when none is configured. */
export function appConnection(target: TargetConfig, env: EnvFile = readEnvFile(target.envFile)): ClientConfig {
  if (!target.databaseUrl && !env.exists) throw new NoConnectionError(`env file ${target.envFile} not found, so there are no DB_* settings to connect with`)
  if (!target.databaseUrl && !env.values.DB_NAME) throw new NoConnectionError(`DB_NAME is not set in ${target.envFile}`)
  return targetConnection(target, env)
}

/** The bounded pool for a target, as the app would connect. */
export function targetPool(target: TargetConfig, env?: EnvFile): pg.Pool {
  return watchReachability(poolFor(appConnection(target, env)), target.id)
}

/** Migrations run with `migrationDatabaseUrl` (e.g. a separate owner role) when set, else as the app connects. */
export function migrationConnection(target: TargetConfig): ClientConfig {
  return target.migrationDatabaseUrl ? { connectionString: target.migrationDatabaseUrl } : appConnection(target)
}

export function migrationPool(target: TargetConfig): pg.Pool {
  return target.migrationDatabaseUrl ? watchReachability(poolFor(migrationConnection(target)), target.id) : targetPool(target)
}
