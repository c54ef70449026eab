import type { Rule } from '../rule'
import { alterCmds, relationName } from '../ast'

// Ownership is the power to DROP and TRUNCATE: there is no separate DROP privilege to grant.
export const ownerChange: Rule = {
  id: 'owner-change',
  severity: 'destructive',
  summary: 'ALTER … OWNER TO moves the power to drop and truncate',
  visit: {
    AlterOwnerStmt: (node, ctx) => {
      const kind = (node.objectType ?? '').replace(/^OBJECT_/, '')
      ctx.report(`ALTER ${kind} … OWNER TO ${node.newowner?.rolename ?? '?'} gives that role the power to DROP it and everything an owner can do.`)
    },
    AlterTableStmt: (node, ctx) => {
      for (const cmd of alterCmds(node)) {
        if (cmd.subtype !== 'AT_ChangeOwner') continue
        ctx.report(`OWNER TO ${cmd.newowner?.rolename ?? '?'} gives that role the power to DROP and TRUNCATE ${relationName(node.relation)}.`)
      }
    },
  },
}
