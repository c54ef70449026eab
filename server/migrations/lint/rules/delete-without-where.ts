import type { Rule } from '../rule'
import { relationName } from '../ast'

export const deleteWithoutWhere: Rule = {
  id: 'delete-without-where',
  severity: 'destructive',
  summary: 'DELETE without WHERE deletes every row',
  visit: {
    DeleteStmt: (node, ctx) => {
      const name = relationName(node.relation)
      if (node.whereClause || ctx.createdInFile(name)) return
      ctx.report(`DELETE FROM ${ctx.describe(name)} has no WHERE: it deletes every row.`, [name])
    },
  },
}
