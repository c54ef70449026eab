import type { Rule } from '../rule'
import { relationName } from '../ast'

export const updateWithoutWhere: Rule = {
  id: 'update-without-where',
  severity: 'destructive',
  summary: 'UPDATE without WHERE overwrites every row',
  visit: {
    UpdateStmt: (node, ctx) => {
      if (node.whereClause) return
      const name = relationName(node.relation)
      ctx.report(`UPDATE ${ctx.describe(name)} has no WHERE: it overwrites every row, and the old values are gone.`, [name])
    },
  },
}
