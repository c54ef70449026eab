import type pg from 'pg'
import type { TargetConfig } from '../config/schema'
import { openSession } from '../database/session'
import { migrationConnection } from '../database/target-pool'
import { serverVersionNum } from './connection'

/** Migration sessions are named `dbsafe-migration:<job id>` once their job runs: how start-up finds what a dead console left. */
export const MIGRATION_SESSION_PREFIX = 'dbsafe-migration'
// How often PostgreSQL checks, while a statement runs, that the console is still connected (14+).
const CONNECTION_CHECK_MS = 2000

/**
 * The session a migration run holds its lock on and applies on. On PostgreSQL 14+ the server checks the console's
 * connection every 2 s during a statement and cancels it once the console is gone, so a dead console's statement
 * does not keep its locks; 13 has no such check (the statement runs until it ends or hits statement_timeout, or
 * a console start-up ends it).
 */
export async function migrationSession(target: TargetConfig): Promise<pg.Client> {
  const client = await openSession(migrationConnection(target), MIGRATION_SESSION_PREFIX)
  try {
    if (await serverVersionNum(client) >= 140_000) {
      await client.query(`SELECT set_config('client_connection_check_interval', $1, false)`, [String(CONNECTION_CHECK_MS)])
    }
  } catch (err) {
    await client.end().catch(() => {})
    throw err
  }
  return client
}

export async function nameMigrationSession(client: pg.ClientBase, jobId: number | undefined): Promise<void> {
  await client.query(`SELECT set_config('application_name', $1, false)`, [`${MIGRATION_SESSION_PREFIX}:${jobId}`])
}
