import type pg from 'pg'
import { escapeIdentifier } from 'pg'
import type { MigrationStatement } from '~contract/migrations'
import type { JobContext } from '../jobs/run'
import { controlNote, leftAfterFailure, ownsTransactions, transactionShape } from './lint/transaction-control'
import { findTrackingTable, TRACKING_TABLE_DDL } from './tracking-table'

export interface ToApply { name: string, checksum: string, statements: MigrationStatement[] }
export interface ApplyOptions { table: string, actor: string, lockTimeout: string, statementTimeout: string }

/**
 * A migration that failed: the statement it stopped at (null before the first or after the last) and PostgreSQL's
 * error. `left` says what stays of a file with its own transaction control, which may have committed part of itself;
 * any other failed migration was rolled back whole.
 */
export class MigrationFailedError extends Error {
  constructor(readonly migration: string, readonly statement: MigrationStatement | null, readonly pgError: Error, readonly left: string | null = null) {
    super(`${migration}${statement ? ` at line ${statement.line}` : ''}: ${pgError.message}${left ? `; ${left}` : ''}`, { cause: pgError })
    this.name = 'MigrationFailedError'
  }
}

/**
 * Applies migrations in order on a client that already holds the target's migration lock. Each runs in
 * its own transaction together with its tracking row, so a failure leaves nothing of that migration
 * behind; a lone non-transactional statement (CREATE INDEX CONCURRENTLY) runs outside one, and a file
 * with its own BEGIN/COMMIT runs as it says. Stops at the first failure, records it on the tracking row,
 * and throws with the statement's line.
 */
export async function applyMigrations(client: pg.ClientBase, migrations: ToApply[], opts: ApplyOptions, ctx: JobContext): Promise<{ applied: string[] }> {
  await ensureTrackingTable(client, opts.table)
  const applied: string[] = []
  ctx.progress({ done: 0, total: migrations.length })
  for (const m of migrations) {
    await applyMigration(client, m, opts, ctx)
    applied.push(m.name)
    ctx.progress({ done: applied.length, message: `applied ${m.name}` })
  }
  return { applied }
}

/** Runs alone when its only statement cannot run in a transaction block. */
export const runsAlone = (m: Pick<ToApply, 'statements'>): boolean => m.statements.length === 1 && m.statements[0].nonTransactional

const RESET_TIMEOUTS = 'RESET lock_timeout; RESET statement_timeout'

/**
 * Applies one migration with its tracking row and returns how long its statements took (ms). `beforeCommit`
 * runs inside the migration's transaction after its statements, while it still holds their locks; never
 * for a migration that runs unwrapped (alone, or with its own transaction control, whose shape the caller
 * has checked with transactionShape). Throws MigrationFailedError after rolling back what is still open
 * and recording the failure.
 */
export async function applyMigration(client: pg.ClientBase, m: ToApply, opts: ApplyOptions, ctx: JobContext,
  beforeCommit?: (client: pg.ClientBase) => Promise<void>): Promise<number> {
  const table = escapeIdentifier(opts.table)
  const started = Date.now()
  const own = ownsTransactions(m.statements) ? transactionShape(m.statements) : null
  const wrapped = !own && !runsAlone(m)
  ctx.log(`${m.name}: ${m.statements.length} statement(s)${own ? ', with its own transaction control: run as the file says' : wrapped ? '' : ', outside a transaction'}`)
  let at = -1
  try {
    if (wrapped) await client.query('BEGIN')
    // set_config(…, is_local): in dbsafe's transaction it ends with it; unwrapped it holds for the session,
    // so the file's own COMMIT cannot drop it, and is reset below.
    await client.query('SELECT set_config($1, $2, $3), set_config($4, $5, $3)', ['lock_timeout', opts.lockTimeout, wrapped, 'statement_timeout', opts.statementTimeout])
    for (const [i, st] of m.statements.entries()) {
      at = i
      ctx.log(`  line ${st.line}: ${oneLine(st.sql)}`)
      await client.query(st.sql)
      const note = own && controlNote(m.statements, own, i)
      if (note) ctx.log(`    ${note}`)
    }
    at = m.statements.length
    const durationMs = Date.now() - started
    if (beforeCommit && wrapped) await beforeCommit(client)
    // Unwrapped, the row commits on its own once the file's last statement did: never before.
    await client.query(
      `INSERT INTO ${table} (name, checksum, applied_at, applied_by, duration_ms, last_error, last_failed_at)
       VALUES ($1, $2, now(), $3, $4, NULL, NULL)
       ON CONFLICT (name) DO UPDATE SET checksum = $2, applied_at = now(), applied_by = $3, duration_ms = $4, last_error = NULL, last_failed_at = NULL`,
      [m.name, m.checksum, opts.actor, durationMs])
    await client.query(wrapped ? 'COMMIT' : RESET_TIMEOUTS)
    ctx.log(`  applied in ${durationMs} ms`)
    return durationMs
  } catch (err) {
    const inOwnTransaction = own !== null && (own.within[at] ?? null) !== null
    await client.query(wrapped ? 'ROLLBACK' : `${inOwnTransaction ? 'ROLLBACK; ' : ''}${RESET_TIMEOUTS}`).catch(() => {})
    const left = own && at >= 0 ? leftAfterFailure(m.statements, own, at) : null
    const failure = new MigrationFailedError(m.name, m.statements[at] ?? null, err as Error, left)
    await client.query(
      `INSERT INTO ${table} (name, checksum, last_error, last_failed_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (name) DO UPDATE SET last_error = $3, last_failed_at = now() WHERE ${table}.applied_at IS NULL`,
      [m.name, m.checksum, failure.message]).catch(() => {})
    ctx.log(`  failed: ${(err as Error).message}; ${left ?? 'rolled back'}, stopping here`)
    throw failure
  }
}

// CREATE TABLE IF NOT EXISTS still needs CREATE on the schema, which a migration role may rightly lack.
export async function ensureTrackingTable(client: pg.ClientBase, name: string) {
  const found = await findTrackingTable(client, name)
  try {
    if (!found) await client.query(TRACKING_TABLE_DDL(name))
    // A table made by an older version lacks the columns that record failed attempts.
    else if (!found.hasOptionalColumns) {
      await client.query(`ALTER TABLE ${found.qualified} ADD COLUMN IF NOT EXISTS last_error text, ADD COLUMN IF NOT EXISTS last_failed_at timestamptz`)
    }
  } catch (err) {
    throw new Error(`Cannot prepare the tracking table ${name}: ${(err as Error).message}`, { cause: err })
  }
}

const oneLine = (sql: string) => {
  const flat = sql.replace(/\s+/g, ' ').trim()
  return flat.length > 120 ? `${flat.slice(0, 117)}…` : flat
}
