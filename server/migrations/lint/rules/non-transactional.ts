import type { Rule } from '../rule'
import { nonTransactionalReason } from '../transaction'

export const nonTransactional: Rule = {
  id: 'non-transactional',
  severity: 'info',
  summary: 'Statements PostgreSQL refuses to run inside a transaction block',
  statement: (stmt, ctx) => {
    const reason = nonTransactionalReason(stmt, ctx.serverVersionNum)
    if (!reason) return
    ctx.report(`${reason}: it will run on its own, outside the migration's transaction, so a later failure does not roll it back.`)
  },
}
