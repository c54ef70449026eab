import type { AlterTableCmd, AlterTableStmt, DefElem, Node, RangeVar } from 'libpg-query'

type KeysOfUnion<T> = T extends T ? keyof T : never
/** A parse-tree node kind: the single key of a `{ DropStmt: {...} }` wrapper. */
export type NodeTag = KeysOfUnion<Node>
export type NodeOf<K extends NodeTag> = Extract<Node, Record<K, unknown>> extends Record<K, infer V> ? V : never

/**
 * Calls `visit` for every wrapped node (`{ Tag: {...} }`) in the tree, depth first. Fields typed as
 * one node kind (`relation: RangeVar`) carry no wrapper: they are descended into but not visited.
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
    if (isTag(key) && child !== null && typeof child === 'object' && !Array.isArray(child)) visit(key, child)
    walk(child, visit)
  }
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

export function defElems(list: Node[] | undefined): DefElem[] {
  return (list ?? []).flatMap((n) => ('DefElem' in n ? [n.DefElem] : []))
}

export function hasOption(list: Node[] | undefined, name: string): boolean {
  return defElems(list).some((d) => d.defname === name)
}

/** The last part of a function name: `pg_catalog.setval` → "setval". */
export function funcName(names: Node[] | undefined): string {
  const last = names?.[names.length - 1]
  return last && 'String' in last ? (last.String.sval ?? '').toLowerCase() : ''
}

function isTag(key: string): boolean {
  const c = key.charCodeAt(0)
  return c >= 65 && c <= 90
}
