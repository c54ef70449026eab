import type { ClientConfig } from 'pg'
import type { TargetConfig } from '../config/schema'
import type { EnvFile } from './read'

/** The target's connection as the app makes it: `databaseUrl` from config, else the env file's DB_* keys. */
export function targetConnection(target: TargetConfig, env: EnvFile): ClientConfig {
  if (target.databaseUrl) return { connectionString: target.databaseUrl }
  const v = env.values
  return {
    host: v.DB_HOST || 'localhost',
    port: v.DB_PORT ? Number(v.DB_PORT) : 5432,
    database: v.DB_NAME,
    user: v.DB_USER,
    password: v.DB_PASSWORD,
  }
}

/** The role whose powers are reviewed: `appRole` from config, else DB_USER from the env file. */
export function appRoleOf(target: TargetConfig, env: EnvFile): string | null {
  return target.appRole ?? env.values.DB_USER ?? null
}
