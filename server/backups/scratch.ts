import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { TargetConfig } from '../config/schema'
import { RefusedError } from '../errors'
import type { JobContext } from '../jobs/run'
import { backupConnection } from './connection'
import { checkRestoreRole, noCreatedbRefusal, refuseUnsafeRole, RESTORE_ROLE_SQL } from './restore-role'
import { withDatabase } from './tool-connection'

export interface RestoreServer { config: pg.ClientConfig, kind: 'restore-test' | 'target' }

/**
 * Where restore tests run: the configured restore-test server, else the target's own server when
 * the role it connects with may create databases there.
 */
export async function restoreServer(target: TargetConfig, opts: { restoreTestUrl?: string, databaseUrl?: string }): Promise<RestoreServer> {
  const server: RestoreServer = opts.restoreTestUrl
    ? { config: { connectionString: opts.restoreTestUrl }, kind: 'restore-test' }
    : { config: backupConnection(target, opts.databaseUrl), kind: 'target' }
  const where = server.kind === 'target' ? `the server of "${target.id}"` : 'the restore-test server'
  const check = await withClient(server.config, checkRestoreRole)
  refuseUnsafeRole(check, where)
  if (check.createdb) return server
  if (server.kind === 'target') {
    throw new RefusedError(`"${target.id}" has no restore-test server configured, and its role "${check.role}" may not create databases on the target's server. `
      + 'Configure restoreTestUrl: a PostgreSQL server of the same major version or newer where the console may create and drop scratch databases.',
    { code: 'no-scratch-server', data: { sql: RESTORE_ROLE_SQL } })
  }
  throw noCreatedbRefusal(check, 'restore-test role')
}

/** Runs `fn` against a fresh `dbsafe_verify_<random>` database and drops it afterwards, whatever happened. */
export async function withScratchDatabase<T>(server: RestoreServer, ctx: JobContext, fn: (scratch: pg.ClientConfig) => Promise<T>): Promise<T> {
  const name = `dbsafe_verify_${randomBytes(6).toString('hex')}`
  // template0: whatever was added to template1 must not collide with what the dump creates.
  await withClient(server.config, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE template0`))
  ctx.log(`created scratch database ${name}`)
  try {
    return await fn(withDatabase(server.config, name))
  } finally {
    await dropScratch(server.config, name, ctx)
  }
}

export async function withClient<T>(config: pg.ClientConfig, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...config, application_name: 'dbsafe-verify' })
  client.on('error', () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => {})
  }
}

async function dropScratch(config: pg.ClientConfig, name: string, ctx: JobContext): Promise<void> {
  try {
    await withClient(config, (c) => dropDatabase(c, name))
    ctx.log(`dropped scratch database ${name}`)
  } catch (err) {
    throw new Error(`The scratch database ${name} could not be dropped (${(err as Error).message}); drop it by hand`, { cause: err })
  }
}

// WITH (FORCE) (PostgreSQL 13+) ends sessions a killed restore may have left behind.
async function dropDatabase(c: pg.Client, name: string): Promise<void> {
  const { rows } = await c.query<{ num: number }>(`SELECT current_setting('server_version_num')::int AS num`)
  if (rows[0].num >= 130_000) {
    await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)
    return
  }
  await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name])
  await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)}`)
}
