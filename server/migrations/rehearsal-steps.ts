import type pg from 'pg'
import { isPendingOrFailed } from '~contract/migrations'
import type { RehearsalError, RehearsedMigration, RelationLock } from '~contract/rehearsal'
import type { TargetConfig } from '../config/schema'
import type { JobContext } from '../jobs/run'
import { applyMigration, ensureTrackingTable, MigrationFailedError, runsAlone, type ApplyOptions } from './apply'
import type { MigrationFile } from './discover'
import { MigrationParseError, splitStatements } from './lint/statements'
import { ownsTransactions, transactionShape } from './lint/transaction-control'
import { heldRelationLocks, notableLocks, relationSnapshot } from './relation-locks'
import { migrationStatus } from './status'

export interface RehearsalPlan {
  /** The files exactly as read once: the rehearsal runs these bytes and records their checksums. */
  files: MigrationFile[]
  /** Pending (or failed) on the real target: what its next run would apply. */
  pending: Set<string>
  /** The target's version, which decides what a real run may put in a transaction. */
  serverVersionNum: number
}

type Outcome = Pick<RehearsedMigration, 'status' | 'durationMs' | 'locks' | 'locksOmitted' | 'error' | 'note'>
const ROLE_NOTE = 'roles are not part of a database dump: a role a migration names must exist on the server the rehearsal ran on'

/**
 * Applies, on the restored copy, what its own tracking table says is missing up to the last of the target's
 * pending migrations: migrations applied on the target after the backup was taken run first as catch-up.
 * Stops at the first failure; the rest are reported as not run.
 */
export async function rehearseSteps(c: pg.ClientBase, target: TargetConfig, plan: RehearsalPlan, ctx: JobContext, signal?: AbortSignal): Promise<RehearsedMigration[]> {
  // A restore leaves no planner statistics: row estimates and realistic plans need them.
  await c.query('ANALYZE')
  const inCopy = await migrationStatus(c, target.migrationsTable, plan.files)
  const missing = new Set(inCopy.migrations.filter(isPendingOrFailed).map((r) => r.name))
  const last = Math.max(...plan.files.map((f, i) => (plan.pending.has(f.name) ? i : -1)))
  const steps = plan.files.slice(0, last + 1).filter((f) => missing.has(f.name) || plan.pending.has(f.name))
  const opts: ApplyOptions = { table: target.migrationsTable, actor: 'dbsafe rehearsal', lockTimeout: target.lockTimeout, statementTimeout: target.statementTimeout }
  await ensureTrackingTable(c, target.migrationsTable)
  const results: RehearsedMigration[] = []
  let failed = false
  ctx.progress({ done: 0, total: steps.length, message: 'applying migrations on the copy' })
  for (const f of steps) {
    const base = { name: f.name, checksum: f.checksum, catchUp: !plan.pending.has(f.name) }
    const skipped = !missing.has(f.name) ? 'already applied in the backup' : failed ? 'an earlier migration failed' : null
    if (skipped) {
      results.push({ ...base, status: 'not-run', durationMs: null, locks: null, note: skipped })
      continue
    }
    signal?.throwIfAborted()
    const outcome = await rehearseOne(c, f, plan.serverVersionNum, opts, ctx)
    results.push({ ...base, ...outcome })
    failed = outcome.status === 'failed'
    ctx.progress({ done: results.length, message: `${outcome.status === 'ok' ? 'rehearsed' : 'failed'} ${f.name}` })
  }
  return results
}

async function rehearseOne(c: pg.ClientBase, f: MigrationFile, version: number, opts: ApplyOptions, ctx: JobContext): Promise<Outcome> {
  let statements
  try {
    statements = await splitStatements(f.text, version)
  } catch (err) {
    if (!(err instanceof MigrationParseError)) throw err
    return failedWith({ line: err.failure.line, statement: err.failure.lineText, message: `does not parse: ${err.failure.message}` })
  }
  const unsafe = transactionShape(statements).problems[0]
  if (unsafe) {
    const st = statements[unsafe.index]
    return failedWith({ line: st.line, statement: short(st.sql), message: `${unsafe.message} A run refuses the file.` })
  }
  const own = ownsTransactions(statements)
  const outside = statements.find((st) => st.nonTransactional)
  if (outside && statements.length > 1 && !own) {
    return failedWith({ line: outside.line, statement: short(outside.sql),
      message: 'cannot run in a transaction, and the file has other statements: a run refuses it; put it in a migration of its own' })
  }
  const before = await relationSnapshot(c)
  let held: RelationLock[] = []
  const started = Date.now()
  try {
    const m = { name: f.name, checksum: f.checksum, statements }
    const durationMs = await applyMigration(c, m, opts, ctx, async (tx) => { held = await heldRelationLocks(tx, before) })
    if (runsAlone(m)) return { status: 'ok', durationMs, locks: null, note: 'ran outside a transaction: its locks were not observed' }
    if (own) return { status: 'ok', durationMs, locks: null, note: 'ran its own BEGIN/COMMIT, without dbsafe\'s transaction: its locks were not observed' }
    const { locks, omitted } = notableLocks(held)
    return { status: 'ok', durationMs, locks, ...(omitted ? { locksOmitted: omitted } : {}) }
  } catch (err) {
    if (!(err instanceof MigrationFailedError)) throw err
    const error = errorOf(err)
    const roleMissing = error.code === '42704' && /^role ".*" does not exist$/.test(error.message)
    // A file with its own COMMIT may have committed part of itself: a real run would leave that applied too.
    const note = [err.left, roleMissing ? ROLE_NOTE : null].filter(Boolean).join('; ')
    return { ...failedWith(error), durationMs: Date.now() - started, ...(note ? { note } : {}) }
  }
}

function errorOf(err: MigrationFailedError): RehearsalError {
  const pgErr = err.pgError as Partial<pg.DatabaseError> & Error
  const st = err.statement
  // PostgreSQL's position counts characters from the statement's start: it names the line within it.
  const pos = Number(pgErr.position ?? 0)
  const within = st && pos > 0 ? Array.from(st.sql).slice(0, pos - 1).filter((ch) => ch === '\n').length : 0
  return {
    line: st ? st.line + within : null, statement: st ? short(st.sql) : null, message: pgErr.message,
    ...(pgErr.code ? { code: pgErr.code } : {}), ...(pgErr.detail ? { detail: pgErr.detail } : {}), ...(pgErr.hint ? { hint: pgErr.hint } : {}),
  }
}

const failedWith = (error: RehearsalError): Outcome => ({ status: 'failed', durationMs: null, locks: null, error })
const short = (sql: string) => (sql.length > 500 ? `${sql.slice(0, 497)}…` : sql)
