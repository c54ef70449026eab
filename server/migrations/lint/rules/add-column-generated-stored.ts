import type { Rule } from '../rule'
import { addedColumns, columnConstraints, relationName } from '../ast'

export const addColumnGeneratedStored: Rule = {
  id: 'add-column-generated-stored',
  severity: 'warning',
  summary: 'ADD COLUMN … GENERATED ALWAYS AS (…) STORED rewrites the table',
  visit: {
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (node.objtype !== 'OBJECT_TABLE' || ctx.createdInFile(table)) return
      for (const col of addedColumns(node)) {
        // generated_kind 'v' is a VIRTUAL column (PostgreSQL 18): computed on read, nothing rewritten.
        if (!columnConstraints(col).some((c) => c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v')) continue
        ctx.report(`ADD COLUMN ${col.colname} GENERATED ALWAYS AS (…) STORED computes the value for every existing row, rewriting ${ctx.describe(table)} under an ACCESS EXCLUSIVE lock (reads and writes wait). Add a plain column, fill it in batches and keep it current with a trigger, or add the generated column while the table is small.`, [table])
      }
    },
  },
}
