import type { Node } from 'libpg-query'
import type { LintSeverity } from '~contract/migrations'
import type { NodeOf, NodeTag } from './ast'
import type { LiveLookup } from './live-facts'
import type { ParsedStatement } from './statements'
import type { FileColumn } from './file-objects'

export interface RuleContext {
  /**
   * True when an earlier statement of this file created the relation (table, index, sequence): no
   * other session can be reading or writing it yet, and it holds no data older than the file.
   */
  createdInFile(name: string): boolean
  /** The column as an earlier statement of this file declared it (CREATE TABLE, ADD COLUMN, ALTER … TYPE). */
  columnInFile(table: string, column: string): FileColumn | undefined
  /** "events (12 GB, ~50M rows)" when live stats are known, else "events". */
  describe(name: string): string
  /** 1-based line in the file of a byte offset the parser gave (a node's `location`). */
  lineAt(byteOffset: number): number
  /** Facts about the live target (table stats, function volatility, type casts); undefined answers offline. */
  live: LiveLookup
  /** Where the current statement runs when it is not one of the file's own, e.g. "in a DO block". */
  readonly within: string | null
  /** server_version_num of the target, when the caller knows it. */
  serverVersionNum?: number
  /**
   * Flags the current statement; `tables` are the relations to fetch live stats for. `line` points
   * at a line inside the statement (in a DO block's body) instead of its first line.
   */
  report(message: string, tables?: string[], line?: number): void
}

export type Visitor = { [K in NodeTag]?: (node: NodeOf<K>, ctx: RuleContext) => void }

export interface Rule {
  id: string
  severity: LintSeverity
  /** One line for the rule list in the UI. */
  summary: string
  /** Called for every node of these kinds anywhere in a statement's tree (CTEs, subqueries…). */
  visit?: Visitor
  /** Called once per top-level statement. */
  statement?: (stmt: Node, ctx: RuleContext) => void
  /** Called once per file with its top-level statements in order, for rules about the file's shape. */
  file?: (statements: readonly ParsedStatement[], ctx: FileContext) => void
}

export interface FileContext extends Omit<RuleContext, 'report'> {
  /** Flags the file's `index`-th statement. */
  report(index: number, message: string): void
}
