import type { Rule } from '../rule'
import { relationName } from '../ast'

export const updateWithoutWhere: Rule = {
  id: 'update-without-where',
  severity: 'destructive',
  summary: 'UPDATE without WHERE overwrites every row',
  visit: {
    UpdateStmt: (node, ctx) => {
      const name = relationName(node.relation)
      if (node.whereClause || ctx.createdInFile(name)) return
      // Filling in columns this file just added overwrites nothing older than the file.
      const set = (node.targetList ?? []).flatMap((t) => ('ResTarget' in t && t.ResTarget.name ? [t.ResTarget.name] : []))
      if (set.length > 0 && set.every((column) => ctx.columnInFile(name, column)?.isNew)) return
      ctx.report(`UPDATE ${ctx.describe(name)} has no WHERE: it overwrites every row, and the old values are gone.`, [name])
    },
  },
}
