import type { Rule } from '../rule'
import { dropObjectNames } from '../ast'

// IF EXISTS changes nothing here: when the table exists, its data is gone all the same. A table
// created earlier in the same file holds nothing older than the file.
export const dropTable: Rule = {
  id: 'drop-table',
  severity: 'destructive',
  summary: 'DROP TABLE deletes the table and its data, IF EXISTS or not',
  visit: {
    DropStmt: (node, ctx) => {
      if (node.removeType !== 'OBJECT_TABLE') return
      const names = dropObjectNames(node.objects).filter((n) => !ctx.createdInFile(n))
      if (names.length === 0) return
      const cascade = node.behavior === 'DROP_CASCADE' ? ' CASCADE also drops the views and foreign keys that depend on it.' : ''
      const what = names.length > 1 ? 'these tables and every row in them' : 'the table and every row in it'
      ctx.report(`DROP TABLE ${names.map(ctx.describe).join(', ')} deletes ${what}.${cascade}`, names)
    },
  },
}
