import type { Rule } from '../rule'
import { relationName } from '../ast'

export const rename: Rule = {
  id: 'rename',
  severity: 'warning',
  summary: 'Renaming a table or column breaks the running app until its new code is deployed',
  visit: {
    RenameStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (ctx.createdInFile(table)) return
      if (node.renameType === 'OBJECT_TABLE') {
        ctx.report(`Renaming table ${table} to ${node.newname} breaks every query of the running app that still uses the old name.`, [table])
      } else if (node.renameType === 'OBJECT_COLUMN' && node.relationType === 'OBJECT_TABLE') {
        ctx.report(`Renaming column ${table}.${node.subname} to ${node.newname} breaks every query of the running app that still uses the old name.`, [table])
      }
    },
  },
}
