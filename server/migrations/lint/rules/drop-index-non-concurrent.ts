import type { Rule } from '../rule'
import { dropObjectNames } from '../ast'

export const dropIndexNonConcurrent: Rule = {
  id: 'drop-index-non-concurrent',
  severity: 'warning',
  summary: 'DROP INDEX without CONCURRENTLY locks its table against reads and writes',
  visit: {
    DropStmt: (node, ctx) => {
      if (node.removeType !== 'OBJECT_INDEX' || node.concurrent) return
      const names = dropObjectNames(node.objects).filter((n) => !ctx.createdInFile(n))
      if (names.length === 0) return
      ctx.report(`DROP INDEX ${names.map(ctx.describe).join(', ')} takes an ACCESS EXCLUSIVE lock on its table: every read and write waits until it is done; use DROP INDEX CONCURRENTLY.`, names)
    },
  },
}
