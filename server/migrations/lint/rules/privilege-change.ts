import type { Rule } from '../rule'

export const privilegeChange: Rule = {
  id: 'privilege-change',
  severity: 'destructive',
  summary: 'GRANT/REVOKE and ALTER DEFAULT PRIVILEGES change who can read, write or destroy data',
  visit: {
    GrantStmt: (node, ctx) => {
      const verb = node.is_grant ? 'GRANT' : 'REVOKE'
      ctx.report(`${verb} changes privileges: review who gains or loses access (TRUNCATE, UPDATE on sequences and CREATE on schemas are powers an app role should not have).`)
    },
    GrantRoleStmt: (node, ctx) => {
      const verb = node.is_grant ? 'GRANT' : 'REVOKE'
      ctx.report(`${verb} of role membership: members inherit the role's powers, ownership (and so DROP) included.`)
    },
    AlterDefaultPrivilegesStmt: (_node, ctx) => {
      ctx.report('ALTER DEFAULT PRIVILEGES changes the privileges of every object created from now on.')
    },
  },
}
