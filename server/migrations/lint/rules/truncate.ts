import type { Rule } from '../rule'
import { rangeVarNames } from '../ast'

export const truncate: Rule = {
  id: 'truncate',
  severity: 'destructive',
  summary: 'TRUNCATE deletes every row',
  visit: {
    TruncateStmt: (node, ctx) => {
      const names = rangeVarNames(node.relations).filter((n) => !ctx.createdInFile(n))
      if (names.length === 0) return
      const cascade = node.behavior === 'DROP_CASCADE' ? ' CASCADE also empties every table with a foreign key to it.' : ''
      ctx.report(`TRUNCATE ${names.map(ctx.describe).join(', ')} deletes every row.${cascade}`, names)
    },
  },
}
