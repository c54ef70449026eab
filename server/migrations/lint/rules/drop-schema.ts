import type { Rule } from '../rule'
import { dropObjectNames } from '../ast'

export const dropSchema: Rule = {
  id: 'drop-schema',
  severity: 'destructive',
  summary: 'DROP SCHEMA deletes the schema (and with CASCADE every object in it)',
  visit: {
    DropStmt: (node, ctx) => {
      if (node.removeType !== 'OBJECT_SCHEMA') return
      const names = dropObjectNames(node.objects).join(', ')
      const what = node.behavior === 'DROP_CASCADE' ? 'and every table, view and function in it, with their data' : '(it fails if the schema is not empty, unless CASCADE)'
      ctx.report(`DROP SCHEMA ${names} deletes the schema ${what}.`)
    },
  },
}
