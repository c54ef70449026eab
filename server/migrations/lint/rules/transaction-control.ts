import type { Rule } from '../rule'
import { runnable } from '../statements'
import { transactionShape } from '../transaction-control'

export const transactionControl: Rule = {
  id: 'transaction-control',
  severity: 'warning',
  summary: 'Transaction control a run cannot follow safely: two-phase commit, COMMIT without BEGIN, a file ending inside its transaction',
  file: (statements, ctx) => {
    const { problems } = transactionShape(statements.map((s) => runnable(s, ctx.serverVersionNum)))
    for (const p of problems) ctx.report(p.index, `${p.message} A dbsafe run refuses the file until then.`)
  },
}
