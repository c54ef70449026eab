import type pg from 'pg'
import type { Connection, Overview, TargetSummary } from '../../contract/api'
import type { TargetConfig } from '../config/schema'
import { poolFor } from '../database/pools'
import { appRoleOf, targetConnection } from '../envfile/connection'
import { readEnvFile, type EnvFile } from '../envfile/read'
import { skipMigrationsState } from '../envfile/skip-migrations'

export async function targetOverview(target: TargetConfig): Promise<Overview> {
  const env = readEnvFile(target.envFile)
  return {
    target: { id: target.id, label: target.label },
    connection: await probeConnection(target, env),
    appRole: appRoleOf(target, env),
    skipMigrations: skipMigrationsState(env),
  }
}

export async function listTargets(targets: TargetConfig[]): Promise<TargetSummary[]> {
  return Promise.all(targets.map(async (t) => ({
    id: t.id, label: t.label, reachable: (await probeConnection(t, readEnvFile(t.envFile))).ok,
  })))
}

/** The pool for a target, as the app would connect. Throws with a plain reason when no connection is configured. */
export function targetPool(target: TargetConfig, env: EnvFile = readEnvFile(target.envFile)): pg.Pool {
  if (!target.databaseUrl && !env.exists) throw new Error(`env file ${target.envFile} not found, so there are no DB_* settings to connect with`)
  if (!target.databaseUrl && !env.values.DB_NAME) throw new Error(`DB_NAME is not set in ${target.envFile}`)
  return poolFor(targetConnection(target, env))
}

// An unreachable target is a fact to show with the driver's reason, never an error that stops the console.
async function probeConnection(target: TargetConfig, env: EnvFile): Promise<Connection> {
  try {
    const { rows } = await targetPool(target, env).query(`SELECT current_setting('server_version') AS version,
      current_database() AS database, current_user AS "user", pg_database_size(current_database())::float8 AS size`)
    const r = rows[0]
    return { ok: true, serverVersion: r.version, database: r.database, user: r.user, databaseSizeBytes: r.size }
  } catch (err) {
    return { ok: false, error: describeError(err) }
  }
}

// Node reports a refused dual-stack connect as an AggregateError with an empty message.
function describeError(err: unknown): string {
  if (err instanceof AggregateError && !err.message) return err.errors.map((e) => (e as Error).message).join('; ')
  return err instanceof Error ? err.message : String(err)
}
