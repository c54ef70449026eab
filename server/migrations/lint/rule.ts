import type { Node } from 'libpg-query'
import type { LintSeverity } from '~contract/migrations'
import type { NodeOf, NodeTag } from './ast'
import type { LiveLookup } from './live-facts'
import type { ParsedStatement } from './statements'

export interface RuleContext {
  /**
   * True when an earlier statement of this file created the relation: no other session can be
   * reading or writing it yet, so locks on it block nobody.
   */
  createdInFile(name: string): boolean
  /** "events (12 GB, ~50M rows)" when live stats are known, else "events". */
  describe(name: string): string
  /** 1-based line in the file of a byte offset the parser gave (a node's `location`). */
  lineAt(byteOffset: number): number
  /** Facts about the live target (table stats, function volatility, type casts); undefined answers offline. */
  live: LiveLookup
  /** server_version_num of the target, when the caller knows it. */
  serverVersionNum?: number
  /** Flags the current statement; `tables` are the relations to fetch live stats for. */
  report(message: string, tables?: string[]): void
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
