import type { ColumnDef } from 'libpg-query'
import type { Rule, RuleContext } from '../rule'
import { addedColumns, columnConstraints, dottedName, relationName } from '../ast'

// A serial type, an identity or a generated column fills existing rows itself.
const FILLED = new Set(['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'])
const SERIAL = /^(pg_catalog\.)?(small|big)?serial[248]?$/

export const addColumnNotNullNoDefault: Rule = {
  id: 'add-column-not-null-no-default',
  severity: 'warning',
  summary: 'ADD COLUMN … NOT NULL without DEFAULT fails on a table with rows',
  visit: {
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (node.objtype !== 'OBJECT_TABLE' || ctx.createdInFile(table)) return
      for (const col of addedColumns(node)) {
        if (!failsOnRows(col)) continue
        const rows = ctx.live.stats(table)?.rowEstimate
        // reltuples is 0 only once the table was analysed empty; -1 means never analysed.
        if (rows === 0) continue
        ctx.report(`ADD COLUMN ${col.colname} NOT NULL without a DEFAULT fails on ${ctx.describe(table)}${ifRows(rows, ctx)}: existing rows would hold NULL. Add the column nullable (or with a DEFAULT), backfill it, then set NOT NULL.`, [table])
      }
    },
  },
}

function failsOnRows(col: ColumnDef): boolean {
  const kinds = columnConstraints(col).map((c) => c.contype)
  if (!kinds.includes('CONSTR_NOTNULL') && !kinds.includes('CONSTR_PRIMARY')) return false
  return !kinds.some((k) => k && FILLED.has(k)) && !SERIAL.test(dottedName(col.typeName?.names))
}

// With rows known the description already shows their estimate: the statement fails as written.
function ifRows(rows: number | undefined, ctx: RuleContext): string {
  if (rows !== undefined && rows > 0) return ''
  if (rows !== undefined) return ' if it has any row (it was never analysed, so its row count is unknown)'
  if (ctx.live.connected) return ' if it has any row (the table is not on the target yet, so it could not be checked)'
  return ' if it has any row (could not check whether it is empty without a live target)'
}
