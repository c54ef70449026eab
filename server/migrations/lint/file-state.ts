import type { TransactionStmt } from 'libpg-query'
import type { RuleContext } from './rule'

/**
 * Memory a rule keeps across the statements of one file (what an earlier ALTER locked, which
 * constraint was added NOT VALID): lintSql gives each rule one context per file, in file order.
 */
export function perFile<T>(init: () => T): (ctx: RuleContext) => T {
  const states = new WeakMap<RuleContext, T>()
  return (ctx) => {
    let state = states.get(ctx)
    if (state === undefined) states.set(ctx, state = init())
    return state
  }
}

/** COMMIT, ROLLBACK or PREPARE TRANSACTION: the locks taken so far are released. */
export function endsTransaction(node: TransactionStmt): boolean {
  return node.kind === 'TRANS_STMT_COMMIT' || node.kind === 'TRANS_STMT_ROLLBACK' || node.kind === 'TRANS_STMT_PREPARE'
}
