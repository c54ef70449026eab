import pg from 'pg'
import { objectKey, type AclEntry, type CatalogObject, type CatalogSnapshot, type DefaultAcl } from './catalog'

const q = pg.escapeIdentifier

export interface PrivilegePlan {
  /** In order: database, schemas (owner then privileges), other owners, other privileges, default privileges. */
  statements: string[]
  ownerChanges: number
  grants: number
  notes: string[]
}

/**
 * The statements that give the restored database (`restored`, as pg_restore --no-owner --no-privileges left
 * it: everything owned by the restore role, built-in privileges) the live database's owners and privileges.
 * Objects the backup has and the live database no longer does go to their live schema's owner.
 */
export function planPrivileges(live: CatalogSnapshot, restored: CatalogSnapshot, newName: string): PrivilegePlan {
  const plan: PrivilegePlan = { statements: [], ownerChanges: 0, grants: 0, notes: [] }
  const db = `DATABASE ${q(newName)}`
  const dbOwner = live.database.owner
  if (restored.database.owner !== dbOwner) owner(plan, `ALTER ${db} OWNER TO ${q(dbOwner)}`)
  if (restored.database.connectionLimit !== live.database.connectionLimit) plan.statements.push(`ALTER ${db} CONNECTION LIMIT ${live.database.connectionLimit}`)
  privileges(plan, db, restored.database.acl, restored.database.owner, dbOwner, live.database.acl)

  const liveByKey = new Map(live.objects.map((o) => [objectKey(o), o]))
  const schemaOwner = new Map(live.objects.filter((o) => o.kind === 'schema').map((o) => [o.name, o.owner]))
  const pairs = restored.objects.map((r) => ({ r, l: liveByKey.get(objectKey(r)) }))
  const orphans = pairs.filter((p) => !p.l).map((p) => objectKey(p.r))
  if (orphans.length) plan.notes.push(`${orphans.length} objects of the backup are not in the live database and go to their schema's owner: ${preview(orphans)}`)
  const restoredKeys = new Set(restored.objects.map(objectKey))
  const missing = live.objects.map(objectKey).filter((k) => !restoredKeys.has(k))
  if (missing.length) plan.notes.push(`${missing.length} objects of the live database are not in the backup: ${preview(missing)}`)

  const ordered = [...pairs.filter((p) => p.r.kind === 'schema'), ...pairs.filter((p) => p.r.kind !== 'schema')]
  const acls: (() => void)[] = []
  for (const { r, l } of ordered) {
    const target = l?.owner ?? (r.schema !== null ? schemaOwner.get(r.schema) : undefined) ?? dbOwner
    if (r.owner !== target && !r.followsTable) owner(plan, `ALTER ${alterKind(r)} ${ident(r)} OWNER TO ${q(target)}`)
    const applyAcl = () => {
      if (l) privileges(plan, `${grantKind(r)} ${ident(r)}`, r.acl, r.owner, target, l.acl)
      if (l) columnPrivileges(plan, r, l)
    }
    if (r.kind === 'schema') applyAcl()
    else acls.push(applyAcl)
  }
  for (const apply of acls) apply()
  for (const d of live.defaultAcls) defaultPrivileges(plan, d, restored)
  return plan
}

/** What still differs after the plan ran: owners, privileges and default privileges of everything both databases have. */
export function comparePrivileges(live: CatalogSnapshot, restored: CatalogSnapshot): string[] {
  const out: string[] = []
  const same = (a: AclEntry[], b: AclEntry[]) => aclSet(a).join('|') === aclSet(b).join('|')
  if (live.database.owner !== restored.database.owner) out.push(`database owner is ${restored.database.owner}, live ${live.database.owner}`)
  if (!same(live.database.acl, restored.database.acl)) out.push('database privileges differ')
  const liveByKey = new Map(live.objects.map((o) => [objectKey(o), o]))
  for (const r of restored.objects) {
    const l = liveByKey.get(objectKey(r))
    if (!l) continue
    if (l.owner !== r.owner) out.push(`${objectKey(r)} is owned by ${r.owner}, live by ${l.owner}`)
    if (!same(l.acl, r.acl)) out.push(`${objectKey(r)} has other privileges than live`)
    if (columnKey(l) !== columnKey(r)) out.push(`${objectKey(r)} has other column privileges than live`)
  }
  const defaults = (s: CatalogSnapshot) => s.defaultAcls.map((d) => `${d.role} ${d.schema} ${d.objtype} ${aclSet(d.acl).join(',')}`).sort().join('|')
  if (defaults(live) !== defaults(restored)) out.push('default privileges (ALTER DEFAULT PRIVILEGES) differ')
  return out
}

// A routine's argument list comes from pg_get_function_identity_arguments: type names the server quoted itself.
function ident(o: CatalogObject): string {
  if (o.kind === 'schema') return q(o.name)
  if (o.kind === 'large object') return String(Number(o.name))
  const name = `${q(o.schema!)}.${q(o.name)}`
  if (o.args === null) return name
  return `${name}(${o.kind === 'aggregate' && o.args === '' ? '*' : o.args})`
}

function alterKind(o: CatalogObject): string {
  return o.kind.toUpperCase()
}

function grantKind(o: CatalogObject): string {
  return ['view', 'materialized view', 'foreign table'].includes(o.kind) ? 'TABLE' : o.kind === 'aggregate' ? 'FUNCTION' : o.kind.toUpperCase()
}

function owner(plan: PrivilegePlan, sql: string): void {
  plan.statements.push(sql)
  plan.ownerChanges++
}

// An owner change hands the old owner's entries to the new owner; anything else still held is revoked before
// exactly the live entries are granted.
function privileges(plan: PrivilegePlan, on: string, current: AclEntry[], oldOwner: string, newOwner: string, wanted: AclEntry[]): void {
  const after = current.map((e) => (e.grantee === oldOwner ? { ...e, grantee: newOwner } : e))
  if (aclSet(after).join('|') === aclSet(wanted).join('|')) return
  const holders = new Set([newOwner, ...after.map((e) => e.grantee).filter((g): g is string => g !== null)])
  plan.statements.push(`REVOKE ALL ON ${on} FROM PUBLIC, ${[...holders].map(q).join(', ')}`)
  grantAll(plan, wanted, (privs, to, option) => `GRANT ${privs} ON ${on} TO ${to}${option}`)
}

function columnPrivileges(plan: PrivilegePlan, r: CatalogObject, l: CatalogObject): void {
  if (columnKey(l) === columnKey(r)) return
  const on = `${grantKind(r)} ${ident(r)}`
  for (const c of r.columns) {
    const holders = [...new Set(c.acl.map((e) => (e.grantee === null ? 'PUBLIC' : q(e.grantee))))]
    if (holders.length) plan.statements.push(`REVOKE ALL (${q(c.name)}) ON ${on} FROM ${holders.join(', ')}`)
  }
  for (const c of l.columns) grantAll(plan, c.acl, (privs, to, option) => `GRANT ${privs.split(', ').map((p) => `${p} (${q(c.name)})`).join(', ')} ON ${on} TO ${to}${option}`)
}

const DEFAULT_OBJECTS = { r: 'TABLES', S: 'SEQUENCES', f: 'FUNCTIONS', T: 'TYPES', n: 'SCHEMAS' } as const

function defaultPrivileges(plan: PrivilegePlan, d: DefaultAcl, restored: CatalogSnapshot): void {
  if (d.schema !== null && !restored.objects.some((o) => o.kind === 'schema' && o.name === d.schema)) {
    plan.notes.push(`default privileges of ${d.role} in schema ${d.schema} are not recreated: the backup has no such schema`)
    return
  }
  const head = `ALTER DEFAULT PRIVILEGES FOR ROLE ${q(d.role)}${d.schema === null ? '' : ` IN SCHEMA ${q(d.schema)}`}`
  const objects = DEFAULT_OBJECTS[d.objtype]
  // A global entry replaces the built-in defaults (owner all, PUBLIC on functions and types); a schema's adds to them.
  if (d.schema === null) plan.statements.push(`${head} REVOKE ALL ON ${objects} FROM PUBLIC, ${q(d.role)}`)
  grantAll(plan, d.acl, (privs, to, option) => `${head} GRANT ${privs} ON ${objects} TO ${to}${option}`)
}

function grantAll(plan: PrivilegePlan, entries: AclEntry[], sql: (privs: string, to: string, option: string) => string): void {
  const groups = new Map<string, string[]>()
  for (const e of entries) {
    if (!/^[A-Z]+$/.test(e.privilege)) throw new Error(`Unexpected privilege "${e.privilege}" in the live catalog`)
    const key = JSON.stringify([e.grantee, e.grantable])
    groups.set(key, [...(groups.get(key) ?? []), e.privilege])
  }
  for (const [key, privs] of groups) {
    const [grantee, grantable] = JSON.parse(key) as [string | null, boolean]
    plan.statements.push(sql(privs.join(', '), grantee === null ? 'PUBLIC' : q(grantee), grantable ? ' WITH GRANT OPTION' : ''))
    plan.grants++
  }
}

function aclSet(acl: AclEntry[]): string[] {
  return acl.map((e) => `${e.grantee ?? ''}=${e.privilege}${e.grantable ? '*' : ''}`).sort()
}

function columnKey(o: CatalogObject): string {
  return o.columns.map((c) => `${c.name}:${aclSet(c.acl).join(',')}`).sort().join('|')
}

function preview(keys: string[]): string {
  return keys.slice(0, 5).join(', ') + (keys.length > 5 ? `, and ${keys.length - 5} more` : '')
}
