import type { Rule } from '../rule'
import { roleNames } from '../ast'

export const dropOwned: Rule = {
  id: 'drop-owned',
  severity: 'destructive',
  summary: 'DROP OWNED drops every object the roles own in this database',
  visit: {
    DropOwnedStmt: (node, ctx) => {
      ctx.report(`DROP OWNED BY ${roleNames(node.roles)} drops every table, view and sequence those roles own in this database, with their data, and revokes their privileges.`)
    },
  },
}
