// Migration shapes shared by the SPA and the API, and the two predicates every reader of a status uses.
import { z } from 'zod'
import { confirmField } from './http'

/** `unknown`: the tracker could not be read, so nobody can say what ran (never shown as pending). */
export type MigrationState = 'applied' | 'pending' | 'drifted' | 'missing' | 'failed' | 'unknown'

/** Still to run: never applied, or its last attempt failed. */
export const isPendingOrFailed = (m: { status: MigrationState }): boolean => m.status === 'pending' || m.status === 'failed'
/** Applied, but its file changed since (drifted) or is gone (missing): the history no longer matches the files. */
export const isDriftedOrMissing = (m: { status: MigrationState }): boolean => m.status === 'drifted' || m.status === 'missing'

export interface MigrationStatusRow {
  name: string
  /** The id the app's tracker records for it, when that differs from the name (a module's exported `id`, knex's file name). */
  id?: string
  /** Path under the migrations directory; null for a `missing` migration. */
  file?: string | null
  status: MigrationState
  /** sha256 hex of the file; for `missing`, the checksum recorded when it was applied. */
  checksum: string | null
  /** `drifted` in dbsafe's own table: the checksum recorded when it ran (dbsafe keeps the checksum, not the text). */
  appliedChecksum?: string
  /** ISO timestamp; null unless the tracking table has a row for it. */
  appliedAt: string | null
  appliedBy: string | null
  durationMs: number | null
  /** The error of the last failed attempt, when the tracking table records one. */
  lastError?: string
  lastFailedAt?: string
}

/** Where applied migrations are recorded: dbsafe's own table, a migration tool's table, or the target's query. */
export type TrackerKind = 'dbsafe' | 'prisma' | 'knex' | 'node-pg-migrate' | 'drizzle' | 'kysely' | 'typeorm' | 'sequelize' | 'query'

export type TrackerState =
  /** `exists` false: dbsafe's table was never created (nothing applied yet); app trackers are unreadable instead. */
  | { kind: TrackerKind, readable: true, exists: boolean }
  /** The cause in plain words, naming the table or query and PostgreSQL's reason. */
  | { kind: TrackerKind, readable: false, code: 'missing' | 'denied' | 'error', cause: string }

export interface MigrationStatus {
  tracker: TrackerState
  migrations: MigrationStatusRow[]
}

export interface IgnoredMigrationFile {
  path: string
  /**
   * migrationsIgnore: matched a configured glob; module: JS/TS while dbsafe runs the SQL files; no-prefix: no numeric or
   * timestamp prefix; symlink: a symbolic link, never followed (it could point at any file the console can read).
   */
  reason: 'migrationsIgnore' | 'module' | 'no-prefix' | 'symlink'
}

/** How "Run" applies pending migrations on this target, or why it cannot. */
export type MigrationRunner =
  | { via: 'dbsafe', available: true }
  /** The app's own migrate command, shown as the argv it spawns. */
  | { via: 'command', available: true, command: string[], upTo: boolean }
  | { via: 'none', available: false, reason: string }

/** destructive: needs explicit acknowledgement to run; warning: locks or risk; info: hygiene and notes. */
export type LintSeverity = 'destructive' | 'warning' | 'info'

export interface LintFinding {
  rule: string
  severity: LintSeverity
  message: string
  /** 1-based line of the statement's start in the file. */
  line: number
  /** The statement's SQL text, trimmed. */
  statement: string
  /** Set when a `-- dbsafe:allow <rule> <reason>` comment acknowledges this finding. */
  acknowledged?: { reason: string }
  /** Tables (or indexes) the finding is about, "schema.table" or "table": the names to fetch live stats for. */
  tables?: string[]
  /**
   * For SQL embedded in a JS/TS migration module: the function it runs in, `up` or `down`
   * (`down` runs only on rollback), or null outside both. Absent for `.sql` files.
   */
  phase?: 'up' | 'down' | null
}

export interface TableStats {
  /** pg_total_relation_size: heap, indexes and TOAST. */
  sizeBytes: number
  /** pg_class.reltuples; -1 when the table was never vacuumed or analyzed (PostgreSQL 14+). */
  rowEstimate: number
}

/** One statement as a runner executes it. */
export interface MigrationStatement {
  sql: string
  line: number
  /** Cannot run inside a transaction block (e.g. CREATE INDEX CONCURRENTLY): run it alone. */
  nonTransactional: boolean
  /** Set on BEGIN, COMMIT, SAVEPOINT…: a file with one controls its own transactions and runs as written. */
  transactionControl?: TransactionControl
}

/** A transaction control statement by what it does (END is a commit, ABORT a rollback, START TRANSACTION a begin). */
export type TransactionControl = 'begin' | 'commit' | 'rollback' | 'commit-and-chain' | 'rollback-and-chain'
  | 'savepoint' | 'release' | 'rollback-to' | 'prepare' | 'commit-prepared' | 'rollback-prepared'

export interface MigrationRow extends MigrationStatusRow {
  findings: LintFinding[]
}

export interface MigrationsView {
  dirExists: boolean
  ignored: IgnoredMigrationFile[]
  tracker: TrackerState
  runner: MigrationRunner
  migrations: MigrationRow[]
}

export interface MigrationDetail extends MigrationRow {
  sql: string | null
  /** The language of `sql`, the file's source: SQL, or a TypeScript/JavaScript migration module. */
  language: 'sql' | 'typescript' | 'javascript'
}

export const migrationRunSchema = z.strictObject({
  confirm: confirmField,
  /** Run pending migrations up to and including this one; default: all pending. */
  upTo: z.string().max(200).optional(),
  /** Destructive findings accepted for this run, as "migration:rule". */
  acknowledge: z.array(z.string().regex(/^[^:]+:[a-z-]+$/, { error: 'as "migration:rule"' })).max(500).default([]),
  /** Run without a fresh backup; the reason is recorded in the audit log. */
  override: z.strictObject({ reason: z.string().trim().min(10, { error: 'at least 10 characters saying why' }).max(1000) }).optional(),
  idempotencyKey: z.string().min(8).max(100).optional(),
})
export type MigrationRunRequest = z.input<typeof migrationRunSchema>

/** A precondition of a migration run, in the order the run checks them; `no-other-run` is read from the jobs. */
export type RunCheckId = 'runner' | 'tracker' | 'drift' | 'pending' | 'parse' | 'transactions' | 'acknowledged' | 'backup' | 'no-other-run'
export interface RunCheck {
  id: RunCheckId
  ok: boolean
  /** In plain words, whether it holds or not: "The newest usable backup is 33 hours old; a run needs one from the last 60 minutes". */
  text: string
  /** An admin may run anyway by writing why (only the backup check). */
  overridable?: boolean
}
/** What a run of every pending migration would meet now, with the same checks the run makes. */
export interface RunPreconditions {
  checks: RunCheck[]
  /** The other run in progress, when there is one. */
  runningJobId: number | null
}
