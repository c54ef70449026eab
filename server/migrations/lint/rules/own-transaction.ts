import type { Rule } from '../rule'
import { runnable } from '../statements'
import { transactionShape } from '../transaction-control'

export const ownTransaction: Rule = {
  id: 'own-transaction',
  severity: 'info',
  summary: 'The file has its own BEGIN/COMMIT: it runs as written, without a per-migration transaction',
  file: (statements, ctx) => {
    const steps = statements.map((s) => runnable(s, ctx.serverVersionNum))
    const first = steps.findIndex((st) => st.transactionControl)
    // A file with problems does not run at all: transaction-control says why.
    if (first < 0 || transactionShape(steps).problems.length) return
    ctx.report(first, 'The file controls its own transactions: dbsafe runs it as written, without its per-migration transaction around it, '
    + 'and with its lock_timeout and statement_timeout set for the whole session. A failure after one of its COMMITs leaves the statements before that COMMIT applied.')
  },
}
