import type { Rule } from '../rule'
import { alterCmds, relationName } from '../ast'

export const setNotNull: Rule = {
  id: 'set-not-null',
  severity: 'warning',
  summary: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock',
  visit: {
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (ctx.createdInFile(table)) return
      for (const cmd of alterCmds(node)) {
        if (cmd.subtype !== 'AT_SetNotNull') continue
        ctx.report(`SET NOT NULL on ${ctx.describe(table)}.${cmd.name} scans every row under an ACCESS EXCLUSIVE lock (reads and writes wait). Since PostgreSQL 12, first add CHECK (${cmd.name} IS NOT NULL) NOT VALID and validate it: SET NOT NULL then skips the scan.`, [table])
      }
    },
  },
}
