import { isDriftedOrMissing, isPendingOrFailed, type LintFinding, type MigrationRow, type MigrationRunner, type MigrationStatement, type RunCheck, type RunCheckId, type TrackerState } from '~contract/migrations'
import { RefusedError } from '../errors'
import { ownsTransactions, transactionShape } from './lint/transaction-control'

export interface RunOptions { upTo?: string, acknowledge: string[], override?: { reason: string } }
/** What the target's view says about running: how (dbsafe or the app's command) and whether the tracker could be read. */
export interface RunContext { runner: MigrationRunner, tracker: TrackerState }
export interface BackupFreshness { newestUsableAt: Date | null, maxAgeMinutes: number, now: Date }

/** Why a run may not start; the caller throws it as it is. */
export type Refusal = RefusedError
export type Plan = { ok: true, run: MigrationRow[], acknowledged: string[] } | { ok: false, refusal: Refusal }

/** A precondition as the run evaluates it: its refusal, when it fails, is what the run throws. */
export interface PlannedCheck extends RunCheck { refusal?: Refusal }

const refusal = (status: 400 | 409, code: string, message: string, data?: Record<string, unknown>): Refusal =>
  new RefusedError(message, { status, code, data })

/**
 * Decides whether a run may start, from the migrations' state, the request and the newest usable backup.
 * Pure: the same inputs always give the same answer, which is what the tests pin down.
 */
export function planRun(rows: MigrationRow[], statements: Map<string, MigrationStatement[]>, opts: RunOptions, backup: BackupFreshness,
  context: RunContext = { runner: { via: 'dbsafe', available: true }, tracker: { kind: 'dbsafe', readable: true, exists: true } }): Plan {
  const checks = runChecks(rows, statements, opts, backup, context)
  const failed = checks.find((c) => c.refusal)
  return failed ? { ok: false, refusal: failed.refusal! } : { ok: true, run: chosenRun(rows, opts), acknowledged: [...new Set(opts.acknowledge)] }
}

/**
 * Every precondition of a run, in the order a refusal names them; each says in plain words whether it holds.
 * The run refuses with the first that fails; the run dialog lists them all before the click.
 */
export function runChecks(rows: MigrationRow[], statements: Map<string, MigrationStatement[]>, opts: RunOptions, backup: BackupFreshness,
  { runner, tracker }: RunContext): PlannedCheck[] {
  const checks: PlannedCheck[] = []
  const check = (id: RunCheckId, text: string, refusal?: Refusal) => checks.push({ id, ok: !refusal, text, ...(refusal ? { refusal } : {}) })

  check('runner', runner.via === 'command' ? `Runs the app's migrate command ${runner.command.join(' ')}` : runner.available ? 'dbsafe runs the SQL files itself' : runner.reason,
    runner.available ? undefined : refusal(409, 'read-only-tracker', `Refusing to run: ${runner.reason}`))
  check('tracker', tracker.readable ? `The ${tracker.kind} tracker can be read` : `The ${tracker.kind} tracker cannot be read (${tracker.cause}), so nobody can tell which migrations already ran`,
    tracker.readable ? undefined : refusal(409, 'tracker-unreadable', `Refusing to run: the ${tracker.kind} tracker cannot be read (${tracker.cause}), so nobody can tell which migrations already ran.`))
  const broken = rows.filter(isDriftedOrMissing)
  const drift = broken.map((r) => `${r.name} is ${r.status}`).join(', ')
  check('drift', broken.length ? `${drift}: restore the applied files exactly as they ran` : 'Applied migrations match their files',
    broken.length ? refusal(409, 'drift', `Refusing to run: ${drift}. Restore the applied files exactly as they ran.`, { migrations: broken.map((r) => ({ name: r.name, status: r.status })) }) : undefined)

  const upToRefusal = checkUpTo(rows, opts, runner)
  if (upToRefusal) return [...checks, { id: 'pending', ok: false, text: upToRefusal.message, refusal: upToRefusal }]
  const run = chosenRun(rows, opts)
  check('pending', run.length ? `${plural(run.length, 'migration')} to run` : 'There are no pending migrations to run',
    run.length ? undefined : refusal(409, 'nothing-pending', 'There are no pending migrations to run'))

  const parseErrors = run.flatMap((r) => r.findings.filter((f) => f.rule === 'parse-error').map((f) => describe(r.name, f)))
  check('parse', parseErrors.length ? `${plural(parseErrors.length, 'statement')} do not parse: ${[...new Set(parseErrors.map((e) => e.migration))].join(', ')}` : 'Every statement parses',
    parseErrors.length ? refusal(409, 'parse-error', `Refusing to run: ${parseErrors.length} migration(s) do not parse`, { findings: parseErrors }) : undefined)

  check('transactions', ...transactionCheck(run, statements))

  const ack = new Set(opts.acknowledge)
  const unacknowledged = run.flatMap((r) => r.findings
    .filter((f) => f.severity === 'destructive' && f.phase !== 'down' && !f.acknowledged && !ack.has(`${r.name}:${f.rule}`))
    .map((f) => describe(r.name, f)))
  check('acknowledged', unacknowledged.length ? `${plural(unacknowledged.length, 'destructive statement')} not accepted yet` : 'No destructive statement left to accept',
    unacknowledged.length
      ? refusal(409, 'unacknowledged', `Refusing to run: ${unacknowledged.length} destructive finding(s) not acknowledged; acknowledge each as "migration:rule"`, { findings: unacknowledged })
      : undefined)

  const { text, fresh } = backupInWords(backup)
  checks.push({ id: 'backup', ok: fresh, text, overridable: true,
    ...(fresh || opts.override ? {} : { refusal: new RefusedError(`Refusing to run: ${text[0].toLowerCase()}${text.slice(1)}. Take a backup, or run without one and write why.`, { status: 409, code: 'no-fresh-backup' }) }) })
  return checks
}

/** "The newest usable backup is 33 hours old; a run needs one from the last 60 minutes." */
export function backupInWords({ newestUsableAt, maxAgeMinutes, now }: BackupFreshness): { text: string, fresh: boolean } {
  const need = `a run needs one from the last ${inWords(maxAgeMinutes)}`
  if (!newestUsableAt) return { text: `There is no usable backup; ${need}`, fresh: false }
  const ageMinutes = (now.getTime() - newestUsableAt.getTime()) / 60_000
  const fresh = ageMinutes <= maxAgeMinutes
  return { text: `The newest usable backup is ${inWords(ageMinutes)} old${fresh ? ` (${need})` : `; ${need}`}`, fresh }
}

const chosenRun = (rows: MigrationRow[], opts: RunOptions) => {
  const pending = rows.filter(isPendingOrFailed)
  return opts.upTo === undefined ? pending : pending.slice(0, pending.findIndex((r) => r.name === opts.upTo) + 1)
}

function checkUpTo(rows: MigrationRow[], opts: RunOptions, runner: MigrationRunner): Refusal | undefined {
  if (opts.upTo === undefined) return undefined
  if (runner.via === 'command' && !runner.upTo) {
    return refusal(400, 'up-to', 'Invalid body: upTo: the app\'s migrate command has no way to stop at a migration (configure migrateCommand.upToArgs)',
      { issues: [{ field: 'upTo', message: 'not supported by this target\'s migrate command' }] })
  }
  if (!rows.some((r) => isPendingOrFailed(r) && r.name === opts.upTo)) {
    return refusal(400, 'up-to', `Invalid body: upTo: "${opts.upTo}" is not a pending migration`, { issues: [{ field: 'upTo', message: 'not a pending migration' }] })
  }
  return undefined
}

function transactionCheck(run: MigrationRow[], statements: Map<string, MigrationStatement[]>): [string, Refusal?] {
  const unsafe = run.flatMap((r) => {
    const stmts = statements.get(r.name) ?? []
    return transactionShape(stmts).problems.map((p) => ({ migration: r.name, line: stmts[p.index].line, message: p.message }))
  })
  if (unsafe.length) {
    const text = unsafe.map((p) => `${p.migration} line ${p.line}: ${p.message}`).join(' ')
    return [text, refusal(409, 'transaction-control', `Refusing to run: ${text}`, { problems: unsafe })]
  }
  // A file with its own transaction control runs unwrapped: its statements outside its BEGIN…COMMIT may be non-transactional.
  const mixed = run.filter((r) => {
    const stmts = statements.get(r.name) ?? []
    return !ownsTransactions(stmts) && stmts.length > 1 && stmts.some((st) => st.nonTransactional)
  })
  if (mixed.length) {
    const text = `${mixed.map((r) => r.name).join(', ')} mix a statement that cannot run in a transaction with others; put it in a migration of its own`
    return [text, refusal(409, 'mixed-transaction', `Refusing to run: ${text}`)]
  }
  return ['Every migration runs in one transaction or controls its own']
}

/** Minutes as a person says them: "45 minutes", "33 hours", "3 days". */
function inWords(minutes: number): string {
  if (minutes < 120) return plural(Math.max(1, Math.round(minutes)), 'minute')
  if (minutes < 2880) return plural(Math.round(minutes / 60), 'hour')
  return plural(Math.round(minutes / 1440), 'day')
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

function describe(migration: string, f: LintFinding) {
  return { migration, rule: f.rule, line: f.line, message: f.message, acknowledgeAs: `${migration}:${f.rule}` }
}
