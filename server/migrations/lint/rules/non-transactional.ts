import type { Rule } from '../rule'
import { nonTransactionalReason } from '../transaction'

export const nonTransactional: Rule = {
  id: 'non-transactional',
  severity: 'info',
  summary: 'Statements PostgreSQL refuses to run inside a transaction block',
  statement: (stmt, ctx) => {
    const reason = nonTransactionalReason(stmt, ctx.serverVersionNum)
    if (!reason) return
    // A DO block runs as one function call: such a statement fails there, whatever the runner does.
    if (ctx.within) ctx.report(`${reason}, nor inside a function: it fails when the block runs.`)
    else ctx.report(`${reason}: it will run on its own, outside the migration's transaction, so a later failure does not roll it back.`)
  },
}
