import { isDriftedOrMissing, isPendingOrFailed, type LintFinding, type MigrationRow, type MigrationRunner, type MigrationStatement, type TrackerState } from '~contract/migrations'
import { RefusedError } from '../errors'
import { ownsTransactions, transactionShape } from './lint/transaction-control'

export interface RunOptions { upTo?: string, acknowledge: string[], override?: { reason: string } }
/** What the target's view says about running: how (dbsafe or the app's command) and whether the tracker could be read. */
export interface RunContext { runner: MigrationRunner, tracker: TrackerState }
export interface BackupFreshness { newestUsableAt: Date | null, maxAgeMinutes: number, now: Date }

/** Why a run may not start; the caller throws it as it is. */
export type Refusal = RefusedError
export type Plan = { ok: true, run: MigrationRow[], acknowledged: string[] } | { ok: false, refusal: Refusal }

const refuse = (status: 400 | 409, code: string, message: string, data?: Record<string, unknown>): Plan =>
  ({ ok: false, refusal: new RefusedError(message, { status, code, data }) })

/**
 * Decides whether a run may start, from the migrations' state, the request and the newest usable backup.
 * Pure: the same inputs always give the same answer, which is what the tests pin down.
 */
export function planRun(rows: MigrationRow[], statements: Map<string, MigrationStatement[]>, opts: RunOptions, backup: BackupFreshness,
  context: RunContext = { runner: { via: 'dbsafe', available: true }, tracker: { kind: 'dbsafe', readable: true, exists: true } }): Plan {
  const { runner, tracker } = context
  if (!runner.available) return refuse(409, 'read-only-tracker', `Refusing to run: ${runner.reason}`)
  if (!tracker.readable) {
    return refuse(409, 'tracker-unreadable', `Refusing to run: the ${tracker.kind} tracker cannot be read (${tracker.cause}), so nobody can tell which migrations already ran.`)
  }
  const broken = rows.filter(isDriftedOrMissing)
  if (broken.length) {
    return refuse(409, 'drift', `Refusing to run: ${broken.map((r) => `${r.name} is ${r.status}`).join(', ')}. Restore the applied files exactly as they ran.`,
      { migrations: broken.map((r) => ({ name: r.name, status: r.status })) })
  }
  const pending = rows.filter(isPendingOrFailed)
  if (opts.upTo !== undefined && runner.via === 'command' && !runner.upTo) {
    return refuse(400, 'up-to', 'Invalid body: upTo: the app\'s migrate command has no way to stop at a migration (configure migrateCommand.upToArgs)',
      { issues: [{ field: 'upTo', message: 'not supported by this target\'s migrate command' }] })
  }
  if (opts.upTo !== undefined && !pending.some((r) => r.name === opts.upTo)) {
    return refuse(400, 'up-to', `Invalid body: upTo: "${opts.upTo}" is not a pending migration`, { issues: [{ field: 'upTo', message: 'not a pending migration' }] })
  }
  const run = opts.upTo === undefined ? pending : pending.slice(0, pending.findIndex((r) => r.name === opts.upTo) + 1)
  if (run.length === 0) return refuse(409, 'nothing-pending', 'There are no pending migrations to run')

  const parseErrors = run.flatMap((r) => r.findings.filter((f) => f.rule === 'parse-error').map((f) => describe(r.name, f)))
  if (parseErrors.length) return refuse(409, 'parse-error', `Refusing to run: ${parseErrors.length} migration(s) do not parse`, { findings: parseErrors })

  const unsafe = run.flatMap((r) => {
    const stmts = statements.get(r.name) ?? []
    return transactionShape(stmts).problems.map((p) => ({ migration: r.name, line: stmts[p.index].line, message: p.message }))
  })
  if (unsafe.length) {
    return refuse(409, 'transaction-control', `Refusing to run: ${unsafe.map((p) => `${p.migration} line ${p.line}: ${p.message}`).join(' ')}`, { problems: unsafe })
  }
  // A file with its own transaction control runs unwrapped: its statements outside its BEGIN…COMMIT may be non-transactional.
  const mixed = run.filter((r) => {
    const stmts = statements.get(r.name) ?? []
    return !ownsTransactions(stmts) && stmts.length > 1 && stmts.some((st) => st.nonTransactional)
  })
  if (mixed.length) {
    return refuse(409, 'mixed-transaction', `Refusing to run: ${mixed.map((r) => r.name).join(', ')} mix a statement that cannot run in a transaction with others; put it in a migration of its own`)
  }

  const ack = new Set(opts.acknowledge)
  const unacknowledged = run.flatMap((r) => r.findings
    .filter((f) => f.severity === 'destructive' && f.phase !== 'down' && !f.acknowledged && !ack.has(`${r.name}:${f.rule}`))
    .map((f) => describe(r.name, f)))
  if (unacknowledged.length) {
    return refuse(409, 'unacknowledged', `Refusing to run: ${unacknowledged.length} destructive finding(s) not acknowledged; acknowledge each as "migration:rule"`,
      { findings: unacknowledged })
  }

  const ageMinutes = backup.newestUsableAt ? (backup.now.getTime() - backup.newestUsableAt.getTime()) / 60_000 : Infinity
  if (ageMinutes > backup.maxAgeMinutes && !opts.override) {
    const seen = backup.newestUsableAt ? `the newest usable one is ${Math.round(ageMinutes)} minutes old` : 'there is none'
    return refuse(409, 'no-fresh-backup', `Refusing to run: no usable backup younger than ${backup.maxAgeMinutes} minutes (${seen}). Take a backup, or give override.reason.`)
  }
  return { ok: true, run, acknowledged: [...ack] }
}

function describe(migration: string, f: LintFinding) {
  return { migration, rule: f.rule, line: f.line, message: f.message, acknowledgeAs: `${migration}:${f.rule}` }
}
