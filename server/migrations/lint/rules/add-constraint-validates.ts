import type { Rule } from '../rule'
import { alterCmds, relationName } from '../ast'

export const addConstraintValidates: Rule = {
  id: 'add-constraint-without-not-valid',
  severity: 'warning',
  summary: 'ADD CONSTRAINT (FOREIGN KEY, CHECK) without NOT VALID checks every row under lock',
  visit: {
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (ctx.createdInFile(table)) return
      for (const cmd of alterCmds(node)) {
        const c = cmd.subtype === 'AT_AddConstraint' && cmd.def && 'Constraint' in cmd.def ? cmd.def.Constraint : undefined
        if (!c || c.skip_validation) continue
        const name = c.conname ? `${c.conname} ` : ''
        if (c.contype === 'CONSTR_FOREIGN') {
          const target = relationName(c.pktable)
          ctx.report(`ADD CONSTRAINT ${name}FOREIGN KEY on ${ctx.describe(table)} checks every existing row while blocking writes to ${table} and ${target}; add it NOT VALID, then VALIDATE CONSTRAINT in a later step.`, [table])
        } else if (c.contype === 'CONSTR_CHECK') {
          ctx.report(`ADD CONSTRAINT ${name}CHECK on ${ctx.describe(table)} checks every existing row under an ACCESS EXCLUSIVE lock (reads and writes wait); add it NOT VALID, then VALIDATE CONSTRAINT in a later step.`, [table])
        }
      }
    },
  },
}
