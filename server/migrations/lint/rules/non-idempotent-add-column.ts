import type { Rule } from '../rule'
import { alterCmds, relationName } from '../ast'

export const nonIdempotentAddColumn: Rule = {
  id: 'non-idempotent-add-column',
  severity: 'info',
  summary: 'ADD COLUMN without IF NOT EXISTS',
  visit: {
    AlterTableStmt: (node, ctx) => {
      for (const cmd of alterCmds(node)) {
        if (cmd.subtype !== 'AT_AddColumn' || cmd.missing_ok) continue
        const col = cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef.colname : '?'
        ctx.report(`ADD COLUMN ${col} on ${relationName(node.relation)} fails if the column already exists; the project's convention is ADD COLUMN IF NOT EXISTS.`)
      }
    },
  },
}
