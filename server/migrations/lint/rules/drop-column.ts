import type { Rule } from '../rule'
import { alterCmds, relationName } from '../ast'

export const dropColumn: Rule = {
  id: 'drop-column',
  severity: 'destructive',
  summary: 'ALTER TABLE … DROP COLUMN deletes the column and its data',
  visit: {
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (ctx.createdInFile(table)) return
      for (const cmd of alterCmds(node)) {
        if (cmd.subtype !== 'AT_DropColumn' || ctx.columnInFile(table, cmd.name ?? '')?.isNew) continue
        ctx.report(`DROP COLUMN ${cmd.name} deletes that column's data from ${ctx.describe(table)}; the running app breaks if it still reads it.`, [table])
      }
    },
  },
}
