import type { TypeName } from 'libpg-query'
import type { Rule } from '../rule'
import { alterCmds, dottedName, relationName } from '../ast'

export const alterColumnType: Rule = {
  id: 'alter-column-type',
  severity: 'destructive',
  summary: 'ALTER COLUMN … TYPE can lose data in the conversion and rewrites the table',
  visit: {
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (ctx.createdInFile(table)) return
      for (const cmd of alterCmds(node)) {
        if (cmd.subtype !== 'AT_AlterColumnType') continue
        const def = cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : undefined
        const to = def?.typeName ? columnType(def.typeName) : undefined
        const known = ctx.columnInFile(table, cmd.name ?? '')
        const from = known && columnType(known.type)
        // USING computes every value anew, and a new collation is not a plain relabel either.
        if (from && to && !def?.raw_default && !def?.collClause && keepsEveryValue(from, to)) continue
        // The live catalog says the conversion is binary-coercible or only widens: nothing is lost or rewritten.
        if (cmd.name && ctx.live.typeChange(table, cmd.name, def)) continue
        const decided = from
          ? `converts it from ${formatType(from)} (declared at line ${known.line}), which`
          : ctx.live.connected
            ? 'converts it from its current type on the target in a way that'
            : 'converts it from a type this file does not declare (no live target to check): taken as a conversion that'
        ctx.report(`ALTER COLUMN ${cmd.name} TYPE ${to ? formatType(to) : '?'} on ${ctx.describe(table)} ${decided} can truncate or reject values, and rewrites the table under an ACCESS EXCLUSIVE lock.`, [table])
      }
    },
  },
}

/** A column type as written: its name without pg_catalog, its modifiers (length, precision), array or not. */
export interface ColumnType {
  name: string
  mods: number[]
  array: boolean
}

export function columnType(t: TypeName): ColumnType {
  const mods = (t.typmods ?? []).flatMap((m) => ('A_Const' in m ? [m.A_Const.ival?.ival ?? 0] : []))
  return { name: dottedName(t.names).replace(/^pg_catalog\./, '').toLowerCase(), mods, array: (t.arrayBounds ?? []).length > 0 }
}

/**
 * True when PostgreSQL converts `from` to `to` without touching a value: the same type, a longer
 * or no varchar limit, varchar ↔ text without a limit, more numeric precision at the same scale.
 * Each is a relabel (binary coercible, or a length check the new limit makes a no-op): no rewrite.
 */
export function keepsEveryValue(from: ColumnType, to: ColumnType): boolean {
  if (from.array !== to.array) return false
  if (from.name === to.name && from.mods.join() === to.mods.join()) return true
  if (from.array) return false
  const textual = (n: string) => n === 'varchar' || n === 'text'
  if (textual(from.name) && textual(to.name)) {
    if (to.mods.length === 0) return true
    return from.name === 'varchar' && from.mods.length > 0 && to.mods[0] >= from.mods[0]
  }
  if (from.name === 'numeric' && to.name === 'numeric') {
    if (to.mods.length === 0) return true
    // numeric(p) means numeric(p, 0).
    return from.mods.length > 0 && (from.mods[1] ?? 0) === (to.mods[1] ?? 0) && to.mods[0] >= from.mods[0]
  }
  return false
}

function formatType(t: ColumnType): string {
  return `${t.name}${t.mods.length ? `(${t.mods.join(',')})` : ''}${t.array ? '[]' : ''}`
}
