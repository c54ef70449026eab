import type pg from 'pg'
import type { LintFinding } from '~contract/migrations'
import type { MigrationFile } from '../discover'
import { lintMigrationModule } from '../modules/lint'
import { liveFactsFor } from './catalog-facts'
import { lintSql, type LintContext } from './lint'
import { noQuestions } from './live-facts'
import { tableStatsFor } from './table-stats'

type Lint = (context: LintContext) => Promise<LintFinding[]>
type OfflineContext = Omit<LintContext, 'tableStats' | 'facts' | 'questions'>

/**
 * Lints, then lints again with the size and row estimate of every table the findings name and the
 * catalog facts the rules asked for (function volatility, type casts).
 */
async function lintLive(pool: pg.Pool, lint: Lint, context: OfflineContext): Promise<LintFinding[]> {
  const questions = noQuestions()
  const first = await lint({ ...context, questions })
  const tables = first.flatMap((f) => f.tables ?? [])
  if (tables.length === 0 && questions.functions.size === 0 && questions.typeChanges.size === 0) return first
  const [tableStats, facts] = await Promise.all([tableStatsFor(pool, tables), liveFactsFor(pool, questions)])
  return lint({ ...context, tableStats, facts })
}

export function lintSqlLive(pool: pg.Pool, sql: string, context: OfflineContext = {}): Promise<LintFinding[]> {
  return lintLive(pool, (c) => lintSql(sql, c), context)
}

/** A migration file by the kind discovery found: SQL as it is, a JS/TS module by the SQL embedded in it. */
export function lintFileLive(pool: pg.Pool, file: Pick<MigrationFile, 'kind' | 'relPath' | 'text'>, context: OfflineContext = {}): Promise<LintFinding[]> {
  return file.kind === 'sql' ? lintSqlLive(pool, file.text, context) : lintLive(pool, (c) => lintMigrationModule(file.text, file.relPath, c), context)
}
