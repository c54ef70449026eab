import pg from 'pg'
import { checkRestoreRole, noCreatedbRefusal, refuseUnsafeRole, RESTORE_ROLE_SQL } from '../backups/restore-role'
import { withClient } from '../backups/scratch'
import { withDatabase } from '../backups/tool-connection'
import type { TargetConfig } from '../config/schema'
import { BusyError, RefusedError } from '../errors'
import { appConnection } from '../database/target-pool'

// Held on the maintenance database for a whole restore, undo or drop, keyed by the live database's name.
const RESTORE_LOCK_NAMESPACE = 730_517

export class RestoreBusyError extends BusyError {
  constructor(database: string) {
    super(`An emergency restore, undo or drop for database "${database}" is already running; try again when it has finished`)
    this.name = 'RestoreBusyError'
  }
}

export interface RestoreSession {
  /** On the maintenance database of restoreDatabaseUrl, holding the target's restore lock. */
  client: pg.Client
  /** restoreDatabaseUrl; `on(db)` is the same login on another database of the server. */
  config: pg.ClientConfig
  on: (database: string) => pg.ClientConfig
  role: string
  /** The live database: the one the app connects to. */
  database: string
  /** With `lock: 'probe'`: whether a restore, undo or drop holds the lock now. */
  busy: boolean
}

export interface SessionOptions {
  /** Default: the target's restoreDatabaseUrl. */
  restoreDatabaseUrl?: string
}

/** hold: keep the target's restore lock for the whole call, or fail when it is taken; probe: only report whether it is. */
type LockMode = 'hold' | 'probe'

/**
 * Opens the restore role's session and runs `fn` with it, after refusing a role that fails the restore-role
 * check or may not create databases, a URL that is not on the app's own server, or one pointing at the live
 * database itself (a session there would block the swap).
 */
export async function withRestoreSession<T>(target: TargetConfig, opts: SessionOptions, lock: LockMode, fn: (s: RestoreSession) => Promise<T>): Promise<T> {
  const url = opts.restoreDatabaseUrl ?? target.restoreDatabaseUrl
  if (!url) {
    throw new RefusedError(`"${target.id}" has no restoreDatabaseUrl: configure a login on its server that may create databases and rename the target's, `
      + 'connecting to a maintenance database such as postgres', { code: 'no-restore-url', data: { sql: RESTORE_ROLE_SQL } })
  }
  const live = await withClient(appConnection(target), async (c) => (await c.query<{ database: string, oid: string, started: string }>(
    `SELECT current_database() AS database, (SELECT oid::text FROM pg_database WHERE datname = current_database()) AS oid,
      pg_postmaster_start_time()::text AS started`)).rows[0])
  const config: pg.ClientConfig = { connectionString: url }
  const client = new pg.Client({ ...config, application_name: 'dbsafe-restore' })
  client.on('error', () => {})
  await client.connect()
  try {
    const check = await checkRestoreRole(client)
    refuseUnsafeRole(check, `the server of "${target.id}"`, 'restoreDatabaseUrl')
    if (!check.createdb) throw noCreatedbRefusal(check, 'restore role')
    const { rows: [here] } = await client.query<{ database: string, oid: string | null, started: string }>(
      `SELECT current_database() AS database,
        (SELECT oid::text FROM pg_database WHERE datname = $1) AS oid, pg_postmaster_start_time()::text AS started`, [live.database])
    if (here.oid !== live.oid || here.started !== live.started) {
      throw new RefusedError(`restoreDatabaseUrl of "${target.id}" does not reach the server the app uses (database "${live.database}" is not the same there)`,
        { code: 'restore-url' })
    }
    if (here.database === live.database) {
      throw new RefusedError(`restoreDatabaseUrl of "${target.id}" connects to the live database "${live.database}" itself; point it at a maintenance database such as postgres`,
        { code: 'restore-url' })
    }
    const { rows: [got] } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [RESTORE_LOCK_NAMESPACE, live.database])
    if (!got.ok && lock === 'hold') throw new RestoreBusyError(live.database)
    if (got.ok && lock === 'probe') await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [RESTORE_LOCK_NAMESPACE, live.database])
    return await fn({ client, config, on: (db) => withDatabase(config, db), role: check.role, database: live.database, busy: !got.ok })
  } finally {
    await client.end().catch(() => {})
  }
}

/** Name, size and whether anyone is connected, for databases that exist; missing names are left out. */
export async function databaseFacts(client: pg.ClientBase, names: string[]) {
  const { rows } = await client.query<{ name: string, size: number | null, sessions: number, owner: string }>(
    `SELECT d.datname AS name, CASE WHEN has_database_privilege(d.oid, 'CONNECT') THEN pg_database_size(d.oid)::float8 END AS size, pg_get_userbyid(d.datdba) AS owner,
      (SELECT count(*)::int FROM pg_stat_activity a WHERE a.datid = d.oid) AS sessions
     FROM pg_database d WHERE d.datname = ANY($1) ORDER BY d.datname`, [names])
  return rows
}
