import type { Rule } from '../rule'
import { roleNames } from '../ast'

export const roleChange: Rule = {
  id: 'role-change',
  severity: 'destructive',
  summary: 'CREATE/ALTER/DROP ROLE changes who can log in and what they can do',
  visit: {
    CreateRoleStmt: (node, ctx) => ctx.report(`CREATE ROLE ${node.role} adds a role to the whole cluster; review its attributes (LOGIN, SUPERUSER, CREATEROLE, BYPASSRLS).`),
    AlterRoleStmt: (node, ctx) => ctx.report(`ALTER ROLE ${node.role?.rolename ?? '?'} changes a cluster-wide role's attributes or password.`),
    AlterRoleSetStmt: (node, ctx) => ctx.report(`ALTER ROLE ${node.role?.rolename ?? 'ALL'} SET changes settings for every session of that role.`),
    DropRoleStmt: (node, ctx) => {
      ctx.report(`DROP ROLE ${roleNames(node.roles)} removes the role from the whole cluster; anything still connecting as it stops working.`)
    },
    RenameStmt: (node, ctx) => {
      if (node.renameType === 'OBJECT_ROLE') ctx.report(`ALTER ROLE ${node.subname} RENAME TO ${node.newname}: clients logging in with the old name fail, and an MD5 password is cleared.`)
    },
  },
}
