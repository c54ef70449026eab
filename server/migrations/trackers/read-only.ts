import pg from 'pg'
import type { TrackedEntry, TrackerRead } from './types'

const STATEMENT_TIMEOUT = '10s'

/**
 * Runs `read` in a READ ONLY transaction with a statement timeout on one client (checked out of a pool and
 * released, or the given client, which must not be inside a transaction), and always rolls back: dbsafe
 * never writes an app's tracker. A failure is returned, its cause naming `what` and PostgreSQL's message.
 */
export async function readInReadOnlyTransaction(db: pg.Pool | pg.ClientBase, what: string,
  read: (client: pg.ClientBase) => Promise<TrackedEntry[]>): Promise<TrackerRead> {
  const pooled = db instanceof pg.Pool
  let client: pg.ClientBase
  try {
    client = pooled ? await db.connect() : db
  } catch (err) {
    return failure(what, err as PgError)
  }
  let broken = false
  try {
    await client.query('BEGIN READ ONLY')
    await client.query('SELECT set_config($1, $2, true)', ['statement_timeout', STATEMENT_TIMEOUT])
    return { ok: true, entries: await read(client) }
  } catch (err) {
    return failure(what, err as PgError)
  } finally {
    // A client whose ROLLBACK fails is unusable; the pool must not hand it out again.
    await client.query('ROLLBACK').catch(() => { broken = true })
    if (pooled) (client as pg.PoolClient).release(broken)
  }
}

type PgError = Error & { code?: string }

function failure(what: string, err: PgError): TrackerRead & { ok: false } {
  const cause = `Cannot read ${what}: ${err.message}.`
  // 42P01 undefined_table, 3F000 invalid_schema_name (Drizzle's own schema), 42501 insufficient_privilege.
  if (err.code === '42P01' || err.code === '3F000') return { ok: false, code: 'missing', cause }
  if (err.code === '42501') return { ok: false, code: 'denied', cause }
  return { ok: false, code: 'error', cause }
}
