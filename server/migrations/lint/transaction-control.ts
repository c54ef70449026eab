import type { Node } from 'libpg-query'
import type { MigrationStatement, TransactionControl } from '~contract/migrations'

type Step = Pick<MigrationStatement, 'line' | 'nonTransactional' | 'transactionControl'>

const KINDS: Record<string, TransactionControl> = {
  TRANS_STMT_BEGIN: 'begin', TRANS_STMT_START: 'begin', TRANS_STMT_COMMIT: 'commit', TRANS_STMT_ROLLBACK: 'rollback',
  TRANS_STMT_SAVEPOINT: 'savepoint', TRANS_STMT_RELEASE: 'release', TRANS_STMT_ROLLBACK_TO: 'rollback-to',
  TRANS_STMT_PREPARE: 'prepare', TRANS_STMT_COMMIT_PREPARED: 'commit-prepared', TRANS_STMT_ROLLBACK_PREPARED: 'rollback-prepared',
}

const NAMES: Record<TransactionControl, string> = {
  'begin': 'BEGIN', 'commit': 'COMMIT', 'rollback': 'ROLLBACK', 'commit-and-chain': 'COMMIT AND CHAIN', 'rollback-and-chain': 'ROLLBACK AND CHAIN',
  'savepoint': 'SAVEPOINT', 'release': 'RELEASE SAVEPOINT', 'rollback-to': 'ROLLBACK TO SAVEPOINT',
  'prepare': 'PREPARE TRANSACTION', 'commit-prepared': 'COMMIT PREPARED', 'rollback-prepared': 'ROLLBACK PREPARED',
}

/** What a top-level statement does to the transaction, or undefined when it is not transaction control. */
export function transactionControlOf(stmt: Node): TransactionControl | undefined {
  if (!('TransactionStmt' in stmt)) return undefined
  const { kind, chain } = stmt.TransactionStmt
  const control = KINDS[kind ?? '']
  return chain && (control === 'commit' || control === 'rollback') ? `${control}-and-chain` : control
}

/** A file with any transaction control runs as written: no transaction of dbsafe's around it. */
export const ownsTransactions = (statements: Pick<MigrationStatement, 'transactionControl'>[]): boolean =>
  statements.some((st) => st.transactionControl !== undefined)

export interface TransactionShape {
  /**
   * Per statement, the index of the statement that opened the file's transaction it runs in (a BEGIN, or
   * a COMMIT/ROLLBACK AND CHAIN for the statements after it), or null when it runs outside one.
   * The COMMIT or ROLLBACK that ends a transaction counts as inside it.
   */
  within: (number | null)[]
  /** Shapes a run cannot follow safely, at the statement where they show, each saying how to fix the file. */
  problems: { index: number, message: string }[]
}

/** Follows the file's own BEGIN/COMMIT/ROLLBACK as PostgreSQL would, statement by statement. */
export function transactionShape(statements: Step[]): TransactionShape {
  const within: (number | null)[] = []
  const problems: TransactionShape['problems'] = []
  let open: number | null = null
  const opened = () => `the transaction the file opened at line ${statements[open!].line}`
  statements.forEach((st, index) => {
    const c = st.transactionControl
    within.push(open ?? (c === 'begin' ? index : null))
    if (c === 'prepare' || c === 'commit-prepared' || c === 'rollback-prepared') {
      problems.push({ index, message: `${NAMES[c]} is two-phase commit: it hands a transaction to another session, which holds its locks until then. A migration cannot run it safely; use BEGIN … COMMIT.` })
      // PREPARE TRANSACTION ends the session's transaction as COMMIT would.
      if (c === 'prepare') open = null
    } else if (c === 'begin') {
      if (open === null) open = index
      else problems.push({ index, message: `BEGIN inside ${opened()}: PostgreSQL ignores it, so the inner COMMIT ends the outer transaction. Remove the inner BEGIN and its COMMIT.` })
    } else if ((c === 'commit' || c === 'rollback') && open === null) {
      problems.push({ index, message: `${NAMES[c]} without a BEGIN before it: outside a transaction PostgreSQL ignores it, so the statements before it were committed as they ran. Put BEGIN where the transaction should start, or remove the ${NAMES[c]}.` })
    } else if (c === 'commit' || c === 'rollback') {
      open = null
    } else if (c && open === null) {
      problems.push({ index, message: `${NAMES[c]} outside a transaction block fails in PostgreSQL. Put it between BEGIN and COMMIT.` })
    } else if (c === 'commit-and-chain' || c === 'rollback-and-chain') {
      open = index
    } else if (!c && st.nonTransactional && open !== null) {
      problems.push({ index, message: `This statement cannot run inside a transaction block, and it is inside ${opened()}. Move it after that transaction's COMMIT, or into a migration of its own.` })
    }
  })
  if (open !== null) {
    problems.push({ index: open, message: `${NAMES[statements[open].transactionControl!]} at line ${statements[open].line} is never followed by COMMIT: the file ends inside its own transaction, and what it did there would be lost with the session. End the transaction with COMMIT.` })
  }
  return { within, problems }
}

/** Log note for the file's own COMMIT or ROLLBACK at `index`, once it ran; null for other statements. */
export function controlNote(statements: Step[], shape: TransactionShape, index: number): string | null {
  const c = statements[index].transactionControl
  const from = shape.within[index]
  if (from === null || !(c === 'commit' || c === 'rollback' || c === 'commit-and-chain' || c === 'rollback-and-chain')) return null
  const line = statements[from].line
  return c.startsWith('commit') ? `the file committed its transaction from line ${line}` : `the file rolled back its transaction from line ${line}: what it did there is undone`
}

/**
 * What a failure at statement `failed` (statements.length: after the last) leaves of a file that controls
 * its own transactions: the open transaction it failed in is rolled back, what the file committed stays.
 */
export function leftAfterFailure(statements: Step[], shape: TransactionShape, failed: number): string {
  const from = shape.within[failed] ?? null
  const rolledBack = from === null ? '' : `its open transaction from line ${statements[from].line} was rolled back; `
  let durable = failed - 1
  while (durable >= 0 && !isDurable(statements[durable], shape.within[durable])) durable--
  if (durable < 0) return `${rolledBack}nothing of it was committed`
  const next = statements[durable + 1]
  if (!next) return 'all its statements were committed and stay applied'
  const by = statements[durable].transactionControl ? 'by the file\'s own COMMIT' : 'as they ran, outside a transaction'
  return `${rolledBack}the statements before line ${next.line} were committed ${by} and stay applied`
}

// Once this statement succeeded, everything the file did before it is committed.
function isDurable(st: Step, within: number | null): boolean {
  const c = st.transactionControl
  return c === 'commit' || c === 'commit-and-chain' || (c === undefined && within === null)
}
