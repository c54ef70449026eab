import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, CreateTableAsStmt, DefElem, ExplainStmt, Node, RangeVar } from 'libpg-query'

type KeysOfUnion<T> = T extends T ? keyof T : never
/** A parse-tree node kind: the single key of a `{ DropStmt: {...} }` wrapper. */
export type NodeTag = KeysOfUnion<Node>
export type NodeOf<K extends NodeTag> = Extract<Node, Record<K, unknown>> extends Record<K, infer V> ? V : never

/**
 * Calls `visit` for every wrapped node (`{ Tag: {...} }`) in the tree, depth first. Fields typed as
 * one node kind (`relation: RangeVar`) carry no wrapper: they are descended into but not visited.
 * Statements stored to run later (see notRunNow) are not descended into.
 */
export function walk(value: unknown, visit: (tag: string, node: object) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit)
    return
  }
  if (value === null || typeof value !== 'object') return
  // for…in, not Object.entries: no array per node, and this runs on every node of every statement.
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key]
    if (isTag(key) && child !== null && typeof child === 'object' && !Array.isArray(child)) {
      visit(key, child)
      const skipped = notRunNow(key, child)
      if (skipped) {
        for (const field in child) if (!skipped.includes(field)) walk((child as Record<string, unknown>)[field], visit)
        continue
      }
    }
    walk(child, visit)
  }
}

/**
 * Fields holding SQL that the statement stores or describes without running it: a function's
 * BEGIN ATOMIC body, a rule's actions, a prepared statement, a plain EXPLAIN, a view's query.
 */
function notRunNow(tag: string, node: object): string[] | null {
  switch (tag) {
    case 'CreateFunctionStmt': return ['sql_body']
    case 'RuleStmt': return ['whereClause', 'actions']
    case 'PrepareStmt': return ['query']
    case 'ViewStmt': return ['query']
    case 'ExplainStmt': return explainRuns(node as ExplainStmt) ? null : ['query']
    case 'CreateTableAsStmt': return (node as CreateTableAsStmt).into?.skipData ? ['query'] : null
    default: return null
  }
}

// EXPLAIN ANALYZE executes the statement; EXPLAIN (ANALYZE false) does not.
function explainRuns(node: ExplainStmt): boolean {
  const analyze = defElems(node.options).find((d) => d.defname === 'analyze')
  if (!analyze) return false
  if (analyze.arg && 'Integer' in analyze.arg) return Boolean(analyze.arg.Integer.ival)
  const value = analyze.arg && 'String' in analyze.arg ? analyze.arg.String.sval?.toLowerCase() : undefined
  return !['false', 'off', 'no'].includes(value ?? 'true')
}

/** The statement's kind, e.g. `DropStmt`. */
export function tagOf(node: Node): string {
  return Object.keys(node)[0]
}

/** "schema.table" when the SQL qualifies it, else "table" (the key the live stats use). */
export function relationName(rv: RangeVar | undefined): string {
  if (!rv?.relname) return '?'
  return rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname
}

/** Names of a list of wrapped RangeVars (TRUNCATE a, b; LOCK a, b). */
export function rangeVarNames(list: Node[] | undefined): string[] {
  return (list ?? []).flatMap((n) => ('RangeVar' in n ? [relationName(n.RangeVar)] : []))
}

/** Role names of a list of wrapped RoleSpecs; CURRENT_USER and the like by their keyword. */
export function roleNames(list: Node[] | undefined): string {
  return (list ?? []).map((n) => ('RoleSpec' in n ? n.RoleSpec.rolename ?? (n.RoleSpec.roletype ?? '?').replace(/^ROLESPEC_/, '') : '?')).join(', ')
}

/** A dotted name given as a list of String nodes (`DROP TABLE a.b` → "a.b"). */
export function dottedName(items: Node[] | undefined): string {
  return (items ?? []).map((n) => ('String' in n ? n.String.sval : '?')).join('.')
}

/** DROP's objects: for tables/indexes/views each is a List of name parts, for schemas a bare String. */
export function dropObjectNames(objects: Node[] | undefined): string[] {
  return (objects ?? []).map((o) => {
    if ('List' in o) return dottedName(o.List.items)
    if ('String' in o) return o.String.sval ?? '?'
    return '?'
  })
}

/** The subcommands of an ALTER TABLE (also used for ALTER INDEX/SEQUENCE/VIEW). */
export function alterCmds(stmt: AlterTableStmt): AlterTableCmd[] {
  // A loop, not flatMap: most rules ask for every ALTER TABLE, and flatMap allocates an array per command.
  const cmds: AlterTableCmd[] = []
  for (const c of stmt.cmds ?? []) if ('AlterTableCmd' in c) cmds.push(c.AlterTableCmd)
  return cmds
}

/** The columns an ALTER TABLE adds (ADD COLUMN). */
export function addedColumns(stmt: AlterTableStmt): ColumnDef[] {
  return alterCmds(stmt).flatMap((c) => (c.subtype === 'AT_AddColumn' && c.def && 'ColumnDef' in c.def ? [c.def.ColumnDef] : []))
}

/** The constraints written on a column: NOT NULL, DEFAULT, REFERENCES, GENERATED… */
export function columnConstraints(col: ColumnDef): Constraint[] {
  return (col.constraints ?? []).flatMap((c) => ('Constraint' in c ? [c.Constraint] : []))
}

export function defElems(list: Node[] | undefined): DefElem[] {
  return (list ?? []).flatMap((n) => ('DefElem' in n ? [n.DefElem] : []))
}

export function hasOption(list: Node[] | undefined, name: string): boolean {
  return defElems(list).some((d) => d.defname === name)
}

/** Column types that create and own a sequence (a nextval() default). */
export const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2'])

/** The last part of a function name: `pg_catalog.setval` → "setval". */
export function funcName(names: Node[] | undefined): string {
  const last = names?.[names.length - 1]
  return last && 'String' in last ? (last.String.sval ?? '').toLowerCase() : ''
}

function isTag(key: string): boolean {
  const c = key.charCodeAt(0)
  return c >= 65 && c <= 90
}
