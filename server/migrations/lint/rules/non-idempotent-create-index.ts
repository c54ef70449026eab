import type { Rule } from '../rule'
import { relationName } from '../ast'

export const nonIdempotentCreateIndex: Rule = {
  id: 'non-idempotent-create-index',
  severity: 'info',
  summary: 'CREATE INDEX without IF NOT EXISTS',
  visit: {
    IndexStmt: (node, ctx) => {
      // CONCURRENTLY has its own warning (concurrent-index-without-if-not-exists).
      if (node.if_not_exists || node.concurrent) return
      const table = relationName(node.relation)
      const advice = node.idxname ? 'CREATE INDEX IF NOT EXISTS' : 'a named index with CREATE INDEX IF NOT EXISTS (an unnamed one is created again on every run)'
      const name = node.idxname ? `${node.idxname} ` : ''
      ctx.report(`CREATE INDEX ${name}on ${table} fails or duplicates if it already exists; the project's convention is ${advice}.`)
    },
  },
}
