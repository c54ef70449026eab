import type { Rule } from '../rule'
import { roleNames } from '../ast'

export const reassignOwned: Rule = {
  id: 'reassign-owned',
  severity: 'destructive',
  summary: 'REASSIGN OWNED moves ownership, and with it the power to drop and truncate',
  visit: {
    ReassignOwnedStmt: (node, ctx) => {
      ctx.report(`REASSIGN OWNED BY ${roleNames(node.roles)} TO ${node.newrole?.rolename ?? '?'} hands every object they own to another role, including the power to DROP and TRUNCATE them.`)
    },
  },
}
