import type { Rule } from '../rule'
import { relationName } from '../ast'

export const createIndexNonConcurrent: Rule = {
  id: 'create-index-non-concurrent',
  severity: 'warning',
  summary: 'CREATE INDEX without CONCURRENTLY blocks writes to an existing table while it builds',
  visit: {
    IndexStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (node.concurrent || ctx.createdInFile(table)) return
      ctx.report(`CREATE INDEX on ${ctx.describe(table)} blocks writes to the table until it finishes; use CREATE INDEX CONCURRENTLY (it then runs outside a transaction).`, [table])
    },
  },
}
