import type { ColumnDef, FuncCall } from 'libpg-query'
import type { Rule } from '../rule'
import { alterCmds, dottedName, funcName, relationName, SERIAL_TYPES, walk } from '../ast'

// Since PostgreSQL 11 a constant or stable default (now()) is stored once; a volatile one must be
// computed per row, which rewrites the whole table.
const VOLATILE = new Set([
  'random', 'random_normal', 'clock_timestamp', 'timeofday', 'gen_random_uuid', 'uuidv4', 'uuidv7',
  'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'nextval', 'txid_current',
])

export const addColumnVolatileDefault: Rule = {
  id: 'add-column-volatile-default',
  severity: 'warning',
  summary: 'ADD COLUMN with a volatile default (random(), gen_random_uuid(), serial…) rewrites the table',
  visit: {
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (ctx.createdInFile(table)) return
      for (const cmd of alterCmds(node)) {
        const col = cmd.subtype === 'AT_AddColumn' && cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : undefined
        const cause = col && rewriteCause(col)
        if (!cause) continue
        ctx.report(`ADD COLUMN ${col.colname} with ${cause} rewrites ${ctx.describe(table)} under an ACCESS EXCLUSIVE lock (reads and writes wait); add the column without it, then backfill in batches.`, [table])
      }
    },
  },
}

function rewriteCause(col: ColumnDef): string | null {
  const type = dottedName(col.typeName?.names).toLowerCase()
  if (SERIAL_TYPES.has(type)) return `type ${type} (a nextval() default)`
  for (const c of col.constraints ?? []) {
    if (!('Constraint' in c)) continue
    if (c.Constraint.contype === 'CONSTR_IDENTITY') return 'GENERATED … AS IDENTITY'
    if (c.Constraint.contype !== 'CONSTR_DEFAULT') continue
    const volatile: string[] = []
    walk(c.Constraint.raw_expr, (tag, n) => {
      const name = tag === 'FuncCall' ? funcName((n as FuncCall).funcname) : ''
      if (VOLATILE.has(name)) volatile.push(name)
    })
    if (volatile.length > 0) return `the volatile default ${volatile[0]}()`
  }
  return null
}
