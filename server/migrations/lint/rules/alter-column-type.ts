import type { Rule } from '../rule'
import { alterCmds, dottedName, relationName } from '../ast'

export const alterColumnType: Rule = {
  id: 'alter-column-type',
  severity: 'destructive',
  summary: 'ALTER COLUMN … TYPE can lose data in the conversion and rewrites the table',
  visit: {
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      for (const cmd of alterCmds(node)) {
        if (cmd.subtype !== 'AT_AlterColumnType') continue
        const def = cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : undefined
        // The live catalog says the conversion is binary-coercible or only widens: nothing is lost or rewritten.
        if (cmd.name && ctx.live.typeChange(table, cmd.name, def)) continue
        const type = dottedName(def?.typeName?.names).replace(/^pg_catalog\./, '')
        ctx.report(`ALTER COLUMN ${cmd.name} TYPE ${type} on ${ctx.describe(table)} can truncate or reject values in the conversion, and usually rewrites the table under an ACCESS EXCLUSIVE lock.`, [table])
      }
    },
  },
}
