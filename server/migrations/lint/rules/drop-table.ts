import type { Rule } from '../rule'
import { dropObjectNames } from '../ast'

// IF EXISTS changes nothing here: when the table exists, its data is gone all the same.
export const dropTable: Rule = {
  id: 'drop-table',
  severity: 'destructive',
  summary: 'DROP TABLE deletes the table and its data, IF EXISTS or not',
  visit: {
    DropStmt: (node, ctx) => {
      if (node.removeType !== 'OBJECT_TABLE') return
      const names = dropObjectNames(node.objects)
      const cascade = node.behavior === 'DROP_CASCADE' ? ' CASCADE also drops the views and foreign keys that depend on it.' : ''
      const what = names.length > 1 ? 'these tables and every row in them' : 'the table and every row in it'
      ctx.report(`DROP TABLE ${names.map(ctx.describe).join(', ')} deletes ${what}.${cascade}`, names)
    },
  },
}
