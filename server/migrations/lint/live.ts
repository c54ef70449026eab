import type pg from 'pg'
import type { LintFinding } from '~contract/migrations'
import { migrationLanguage } from '../modules/files'
import { lintMigrationModule } from '../modules/lint'
import { lintSql, type LintContext } from './lint'
import { tableStatsFor } from './table-stats'

type Lint = (context: LintContext) => Promise<LintFinding[]>

/** Lints, then lints again with the size and row estimate of every table the findings name. */
async function lintLive(pool: pg.Pool, lint: Lint, context: Omit<LintContext, 'tableStats'>): Promise<LintFinding[]> {
  const first = await lint(context)
  const tables = first.flatMap((f) => f.tables ?? [])
  if (tables.length === 0) return first
  return lint({ ...context, tableStats: await tableStatsFor(pool, tables) })
}

export function lintSqlLive(pool: pg.Pool, sql: string, context: Omit<LintContext, 'tableStats'> = {}): Promise<LintFinding[]> {
  return lintLive(pool, (c) => lintSql(sql, c), context)
}

/** A migration file by its language: SQL as it is, a JS/TS module by the SQL embedded in it. */
export function lintFileLive(pool: pg.Pool, file: { relPath: string, text: string }, context: Omit<LintContext, 'tableStats'> = {}): Promise<LintFinding[]> {
  return migrationLanguage(file.relPath) === 'sql' ? lintSqlLive(pool, file.text, context) : lintLive(pool, (c) => lintMigrationModule(file.text, file.relPath, c), context)
}
