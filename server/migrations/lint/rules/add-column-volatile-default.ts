import type { ColumnDef, FuncCall } from 'libpg-query'
import type { Rule, RuleContext } from '../rule'
import { addedColumns, dottedName, funcName, relationName, SERIAL_TYPES, walk } from '../ast'

// Since PostgreSQL 11 a constant or stable default (now()) is stored once; a volatile one must be
// computed per row, which rewrites the whole table.
const VOLATILE = new Set([
  'random', 'random_normal', 'clock_timestamp', 'timeofday', 'gen_random_uuid', 'uuidv4', 'uuidv7',
  'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'nextval', 'txid_current',
])
// Built-in functions defaults call that are stable or immutable (pg_proc.provolatile 's' or 'i'):
// any other function may be user-defined or from an extension, and volatile.
const STABLE = new Set([
  'now', 'statement_timestamp', 'transaction_timestamp', 'current_setting', 'current_database', 'current_schema',
  'timezone', 'date_trunc', 'date_part', 'extract', 'make_date', 'make_time', 'make_timestamp', 'make_timestamptz',
  'make_interval', 'to_char', 'to_date', 'to_timestamp', 'to_number', 'age', 'lower', 'upper', 'btrim',
  'ltrim', 'rtrim', 'concat', 'concat_ws', 'format', 'length', 'char_length', 'substring', 'substr', 'replace',
  'left', 'right', 'lpad', 'rpad', 'repeat', 'split_part', 'regexp_replace', 'md5', 'sha256', 'encode', 'decode',
  'abs', 'round', 'trunc', 'floor', 'ceil', 'ceiling', 'power', 'sqrt', 'to_json', 'to_jsonb', 'json_build_object',
  'jsonb_build_object', 'json_build_array', 'jsonb_build_array', 'array_fill', 'string_to_array', 'int4range',
  'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange', 'to_tsvector',
])

export const addColumnVolatileDefault: Rule = {
  id: 'add-column-volatile-default',
  severity: 'warning',
  summary: 'ADD COLUMN with a volatile default (random(), gen_random_uuid(), serial…) rewrites the table',
  visit: {
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (ctx.createdInFile(table)) return
      for (const col of addedColumns(node)) {
        const cause = rewriteCause(col, ctx)
        if (cause?.volatile) {
          ctx.report(`ADD COLUMN ${col.colname} with ${cause.volatile} rewrites ${ctx.describe(table)} under an ACCESS EXCLUSIVE lock (reads and writes wait); add the column without it, then backfill in batches.`, [table])
        } else if (cause?.unchecked) {
          const fn = `${cause.unchecked}()`
          ctx.report(`ADD COLUMN ${col.colname} with the default ${fn} rewrites ${ctx.describe(table)} under an ACCESS EXCLUSIVE lock (reads and writes wait) if ${fn} is volatile, and ${whyUnchecked(ctx)}. If it is, add the column without the default, then backfill in batches.`, [table])
        }
      }
    },
  },
}

function rewriteCause(col: ColumnDef, ctx: RuleContext): { volatile?: string, unchecked?: string } | null {
  const type = dottedName(col.typeName?.names).toLowerCase()
  if (SERIAL_TYPES.has(type)) return { volatile: `type ${type} (a nextval() default)` }
  for (const c of col.constraints ?? []) {
    if (!('Constraint' in c)) continue
    if (c.Constraint.contype === 'CONSTR_IDENTITY') return { volatile: 'GENERATED … AS IDENTITY' }
    if (c.Constraint.contype !== 'CONSTR_DEFAULT') continue
    const calls: FuncCall[] = []
    walk(c.Constraint.raw_expr, (tag, n) => {
      if (tag === 'FuncCall') calls.push(n as FuncCall)
    })
    const known = calls.find((f) => VOLATILE.has(funcName(f.funcname)))
    if (known) return { volatile: `the volatile default ${funcName(known.funcname)}()` }
    const others = calls.map((f) => dottedName(f.funcname)).filter((name) => !isBuiltinStable(name))
    const volatile = others.find((name) => ctx.live.volatility(name) === 'volatile')
    if (volatile) return { volatile: `the volatile default ${volatile}()` }
    const unchecked = others.find((name) => ctx.live.volatility(name) === undefined)
    if (unchecked) return { unchecked }
  }
  return null
}

function isBuiltinStable(name: string): boolean {
  const parts = name.toLowerCase().split('.')
  return STABLE.has(parts[parts.length - 1]) && (parts.length === 1 || parts[0] === 'pg_catalog')
}

function whyUnchecked(ctx: RuleContext): string {
  return ctx.live.connected
    ? 'the function is not on the target yet, so its volatility could not be checked'
    : 'could not check the function\'s volatility without a live target'
}
