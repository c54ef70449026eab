import type { Rule } from '../rule'
import { relationName } from '../ast'

// ON CONFLICT DO UPDATE is accepted too: an upsert is just as safe to run twice.
export const insertWithoutOnConflict: Rule = {
  id: 'insert-without-on-conflict',
  severity: 'info',
  summary: 'INSERT without ON CONFLICT DO NOTHING',
  visit: {
    InsertStmt: (node, ctx) => {
      if (node.onConflictClause) return
      ctx.report(`INSERT INTO ${relationName(node.relation)} adds the rows again (or fails on a unique key) if run twice; the project's convention is ON CONFLICT DO NOTHING.`)
    },
  },
}
