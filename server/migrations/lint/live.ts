import type pg from 'pg'
import type { LintFinding } from '~contract/migrations'
import { lintSql, type LintContext } from './lint'
import { tableStatsFor } from './table-stats'

/** Lints, then lints again with the size and row estimate of every table the findings name. */
export async function lintSqlLive(pool: pg.Pool, sql: string, context: Omit<LintContext, 'tableStats'> = {}): Promise<LintFinding[]> {
  const first = await lintSql(sql, context)
  const tables = first.flatMap((f) => f.tables ?? [])
  if (tables.length === 0) return first
  return lintSql(sql, { ...context, tableStats: await tableStatsFor(pool, tables) })
}
