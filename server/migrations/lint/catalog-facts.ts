import type pg from 'pg'
import type { LiveFacts, LiveQuestions, TypeChangeFact, Volatility } from './live-facts'
import { regclassText } from './table-stats'

const VOLATILITY: Record<string, Volatility> = { i: 'immutable', s: 'stable', v: 'volatile' }

/** Answers the first pass's questions from the target's catalog: one query per kind of fact. */
export async function liveFactsFor(pool: pg.Pool, questions: LiveQuestions): Promise<LiveFacts> {
  const [volatility, typeChanges] = await Promise.all([volatilityOf(pool, [...questions.functions]), typeChangesOf(pool, questions)])
  return { volatility, typeChanges }
}

// An unqualified name is looked up as the connection resolves it (search_path); of several
// overloads the most volatile wins ('i' < 's' < 'v'), which errs toward a warning.
async function volatilityOf(pool: pg.Pool, names: string[]): Promise<Map<string, Volatility>> {
  if (names.length === 0) return new Map()
  const parts = names.map((n) => n.split('.').slice(-2))
  const { rows } = await pool.query<{ name: string, provolatile: string }>(
    `SELECT k.name, max(p.provolatile::text) AS provolatile
       FROM unnest($1::text[], $2::text[], $3::text[]) AS k(name, schema, proname)
       JOIN pg_proc p ON p.proname = k.proname
       JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE CASE WHEN k.schema IS NULL THEN pg_function_is_visible(p.oid) ELSE n.nspname = k.schema END
      GROUP BY k.name`,
    [names, parts.map((p) => (p.length === 2 ? p[0] : null)), parts.map((p) => p[p.length - 1])],
  )
  return new Map(rows.map((r) => [r.name, VOLATILITY[r.provolatile]]))
}

// format_type shows a type's modifiers the way they are written (character varying(10),
// numeric(10,2), timestamp(3) with time zone): the one place the catalog decodes a typmod on every version.
async function typeChangesOf(pool: pg.Pool, questions: LiveQuestions): Promise<Map<string, TypeChangeFact>> {
  const asked = [...questions.typeChanges]
  if (asked.length === 0) return new Map()
  const { rows } = await pool.query<{ i: string, same_type: boolean, binary_cast: boolean, length_support: boolean, modifiers: string | null }>(
    `SELECT k.i, a.atttypid = t.oid AS same_type,
            EXISTS (SELECT 1 FROM pg_cast c WHERE c.castsource = a.atttypid AND c.casttarget = t.oid AND c.castmethod = 'b') AS binary_cast,
            EXISTS (SELECT 1 FROM pg_cast c JOIN pg_proc p ON p.oid = c.castfunc
                     WHERE c.castsource = t.oid AND c.casttarget = t.oid AND p.prosupport <> 0) AS length_support,
            (regexp_match(format_type(a.atttypid, a.atttypmod), '\\(([0-9,]+)\\)'))[1] AS modifiers
       FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(rel, col, typ, i)
       JOIN pg_attribute a ON a.attrelid = to_regclass(k.rel) AND a.attname = k.col AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type t ON t.oid = to_regtype(k.typ)`,
    [
      asked.map(([, q]) => regclassText(q.table)),
      asked.map(([, q]) => q.column),
      asked.map(([, q]) => q.type),
    ],
  )
  return new Map(rows.map((r) => [asked[Number(r.i) - 1][0], {
    sameType: r.same_type, binaryCast: r.binary_cast, lengthSupport: r.length_support,
    modifiers: r.modifiers ? r.modifiers.split(',').map(Number) : [],
  }]))
}
