import type { Constraint } from 'libpg-query'
import type { Rule } from '../rule'
import { addedColumns, alterCmds, columnConstraints, dottedName, relationName } from '../ast'

const KINDS: Partial<Record<NonNullable<Constraint['contype']>, string>> = { CONSTR_PRIMARY: 'PRIMARY KEY', CONSTR_UNIQUE: 'UNIQUE' }

export const addConstraintBuildsIndex: Rule = {
  id: 'add-constraint-builds-index',
  severity: 'warning',
  summary: 'ADD PRIMARY KEY / UNIQUE builds its index while reads and writes wait',
  visit: {
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (node.objtype !== 'OBJECT_TABLE' || ctx.createdInFile(table)) return
      const onTable = alterCmds(node).flatMap((c) => (c.subtype === 'AT_AddConstraint' && c.def && 'Constraint' in c.def ? [c.def.Constraint] : []))
      const candidates = [
        ...onTable.map((c) => ({ c, columns: (c.keys ?? []).map((k) => dottedName([k])), first: 'build' })),
        ...addedColumns(node).flatMap((col) => columnConstraints(col).map((c) => ({ c, columns: [col.colname ?? '?'], first: 'add the column without it, build' }))),
      ]
      for (const { c, columns, first } of candidates) {
        const kind = c.contype && KINDS[c.contype]
        // USING INDEX attaches an index built beforehand: nothing is built under the lock.
        if (!kind || c.indexname) continue
        const bare = table.slice(table.lastIndexOf('.') + 1)
        const name = c.conname ?? (kind === 'UNIQUE' ? `${bare}_${columns.join('_')}_key` : `${bare}_pkey`)
        ctx.report(`ADD ${kind} on ${ctx.describe(table)} builds a unique index under an ACCESS EXCLUSIVE lock: reads and writes wait until it is built. Instead ${first} the index with CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (${columns.join(', ')}), then ADD CONSTRAINT ${name} ${kind} USING INDEX ${name}.`, [table])
      }
    },
  },
}
