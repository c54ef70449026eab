import type { Rule } from '../rule'

export const dropDatabase: Rule = {
  id: 'drop-database',
  severity: 'destructive',
  summary: 'DROP DATABASE deletes a whole database',
  visit: {
    DropdbStmt: (node, ctx) => ctx.report(`DROP DATABASE ${node.dbname} deletes the whole database and every table in it.`),
  },
}
