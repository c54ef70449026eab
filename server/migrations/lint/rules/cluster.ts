import type { Rule } from '../rule'
import { relationName } from '../ast'

export const cluster: Rule = {
  id: 'cluster',
  severity: 'warning',
  summary: 'CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock',
  visit: {
    ClusterStmt: (node, ctx) => {
      const table = node.relation ? relationName(node.relation) : null
      const what = table ? ctx.describe(table) : 'every previously clustered table'
      ctx.report(`CLUSTER rewrites ${what} under an ACCESS EXCLUSIVE lock: reads and writes wait until it finishes.`, table ? [table] : [])
    },
  },
}
