import type { ColumnDef, Node } from 'libpg-query'
import type { TableStats } from '~contract/migrations'

export type Volatility = 'immutable' | 'stable' | 'volatile'

/** The column's type now and what pg_cast says about changing it (catalog-facts.ts). */
export interface TypeChangeFact {
  sameType: boolean
  /** pg_cast has a binary-coercible cast (castmethod 'b') from the current type to the new one. */
  binaryCast: boolean
  /** The type's length coercion has a support function that skips the rewrite when it only widens (varchar, numeric, timestamp…). */
  lengthSupport: boolean
  /** The current type's modifiers as format_type shows them: varchar(10) → [10], numeric(10,2) → [10, 2]. */
  modifiers: number[]
}

/** The live facts the second pass answers from, fetched for the questions the first pass asked. */
export interface LiveFacts {
  /** By function name as written ("f" or "schema.f"): the most volatile overload. */
  volatility: Map<string, Volatility>
  /** By typeChangeKey(). */
  typeChanges: Map<string, TypeChangeFact>
}

/** What the first pass wanted to know about the target; each kind is answered by one catalog query. */
export interface LiveQuestions {
  functions: Set<string>
  typeChanges: Map<string, { table: string, column: string, type: string }>
}

export const noQuestions = (): LiveQuestions => ({ functions: new Set(), typeChanges: new Map() })

/** What rules may ask about the live target. Offline every answer is undefined, and the rule says it could not check. */
export interface LiveLookup {
  /** True on the pass that has the target's catalog facts. */
  connected: boolean
  stats(table: string): TableStats | undefined
  volatility(fn: string): Volatility | undefined
  /** True when changing the column to this type keeps every value and rewrites nothing; false when it may not; undefined when unknown. */
  typeChange(table: string, column: string, def: ColumnDef | undefined): boolean | undefined
}

export function liveLookup(facts: LiveFacts | undefined, questions: LiveQuestions | undefined, tableStats: Map<string, TableStats> | undefined): LiveLookup {
  return {
    connected: facts !== undefined,
    stats: (table) => tableStats?.get(table),
    volatility: (fn) => {
      if (!facts) questions?.functions.add(fn)
      return facts?.volatility.get(fn)
    },
    typeChange: (table, column, def) => {
      const change = typeChangeOf(def)
      if (!change) return undefined
      const key = typeChangeKey(table, column, change.type)
      if (!facts) questions?.typeChanges.set(key, { table, column, type: change.type })
      const fact = facts?.typeChanges.get(key)
      return fact && keepsValues(fact, change.modifiers)
    },
  }
}

export const typeChangeKey = (table: string, column: string, type: string) => `${table}\0${column}\0${type}`

/**
 * The new type as to_regtype reads it ("pg_catalog"."varchar") and its modifiers, or null when the
 * change is not decided by the types alone (a USING expression, a COLLATE, a non-numeric modifier).
 */
function typeChangeOf(def: ColumnDef | undefined): { type: string, modifiers: number[] } | null {
  const t = def?.typeName
  if (!def || !t?.names || def.raw_default || def.collClause || t.pct_type || t.setof) return null
  const modifiers = (t.typmods ?? []).map(integerOf)
  if (modifiers.some((m) => m === null)) return null
  const name = t.names.map((n) => ('String' in n ? `"${(n.String.sval ?? '').replace(/"/g, '""')}"` : '?')).join('.')
  return { type: name + '[]'.repeat(t.arrayBounds?.length ?? 0), modifiers: modifiers as number[] }
}

// What PostgreSQL's ALTER COLUMN TYPE does without rewriting: a binary-coercible cast to an
// unconstrained type, the same type and modifiers, or a widening its length-coercion support
// function turns into a relabel (varchar(10) → varchar(20), numeric(10,2) → numeric(12,2)).
function keepsValues(fact: TypeChangeFact, modifiers: number[]): boolean {
  const old = fact.modifiers
  if (fact.sameType && modifiers.length === old.length && modifiers.every((m, i) => m === old[i])) return true
  if (fact.binaryCast && modifiers.length === 0) return true
  if (!fact.sameType || !fact.lengthSupport) return false
  if (modifiers.length === 0) return true
  return modifiers.length === old.length && modifiers[0] >= old[0] && modifiers.slice(1).every((m, i) => m === old[i + 1])
}

function integerOf(n: Node): number | null {
  return 'A_Const' in n && n.A_Const.ival ? n.A_Const.ival.ival ?? 0 : null
}
