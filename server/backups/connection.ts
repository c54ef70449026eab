import type { ClientConfig } from 'pg'
import type { TargetConfig } from '../config/schema'
import { appConnection } from '../database/target-pool'

/** How backups reach the target: `databaseUrl` (e.g. a dedicated backup role) when given, else as the app connects. */
export function backupConnection(target: TargetConfig, databaseUrl?: string): ClientConfig {
  return databaseUrl ? { connectionString: databaseUrl } : appConnection(target)
}
