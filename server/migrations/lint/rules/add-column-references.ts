import type { Rule } from '../rule'
import { addedColumns, columnConstraints, relationName } from '../ast'

export const addColumnReferences: Rule = {
  id: 'add-column-references',
  severity: 'warning',
  summary: 'ADD COLUMN … REFERENCES locks both tables while it validates',
  visit: {
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (node.objtype !== 'OBJECT_TABLE' || ctx.createdInFile(table)) return
      for (const col of addedColumns(node)) {
        const fk = columnConstraints(col).find((c) => c.contype === 'CONSTR_FOREIGN')
        if (!fk) continue
        const target = relationName(fk.pktable)
        ctx.report(`ADD COLUMN ${col.colname} REFERENCES ${target} checks the column of every row of ${ctx.describe(table)} while ${table} (reads and writes) and ${target} (writes) wait. Add the column plain, then ADD CONSTRAINT … FOREIGN KEY (${col.colname}) REFERENCES ${target} NOT VALID, and VALIDATE CONSTRAINT in a later migration.`, [table])
      }
    },
  },
}
