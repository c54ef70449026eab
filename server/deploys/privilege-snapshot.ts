import { createHash } from 'node:crypto'
import type pg from 'pg'
import type { PrivilegeChange } from '~contract/deploys'

// What the app role can do, as one line per power, read in one set-based query so a deploy can compare its start
// with its end. "Mine" is the role and every role it is a member of (pg_has_role MEMBER: direct or through a chain,
// with or without INHERIT, since SET ROLE reaches them all). Owners hold every power on their objects, so an owned
// object is one entry; grants are one entry per privilege, from the ACL itself (aclexplode), so a power that comes
// through a membership or PUBLIC is seen as well as a direct one.
const SNAPSHOT = `
WITH me AS (SELECT * FROM pg_roles WHERE rolname = $1),
mine AS (SELECT r.oid FROM pg_roles r CROSS JOIN me WHERE pg_has_role(me.oid, r.oid, 'MEMBER')),
rel AS (
  SELECT c.oid, c.relowner AS owner, c.relacl AS acl, format('%s %I.%I', CASE c.relkind WHEN 'S' THEN 'sequence'
    WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END, n.nspname, c.relname) AS name, c.relkind = 'S' AS seq
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
),
obj AS (
  SELECT name, owner, acl, CASE WHEN seq THEN ARRAY['UPDATE'] ELSE ARRAY['TRUNCATE'] END AS wipes FROM rel
  UNION ALL
  SELECT format('schema %I', nspname), nspowner, nspacl, ARRAY['CREATE'] FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
  UNION ALL
  SELECT format('database %I', datname), datdba, datacl, ARRAY[]::text[] FROM pg_database WHERE datname = current_database()
)
SELECT 'attributes' AS kind, 'role attribute ' || a.name AS entry, a.destructive FROM me,
  LATERAL (VALUES ('SUPERUSER', me.rolsuper, true), ('CREATEROLE', me.rolcreaterole, true), ('BYPASSRLS', me.rolbypassrls, true),
    ('CREATEDB', me.rolcreatedb, false), ('REPLICATION', me.rolreplication, false)) a(name, held, destructive)
  WHERE a.held
UNION ALL
SELECT 'memberships', 'member of ' || quote_ident(r.rolname),
  r.rolsuper OR r.rolcreaterole OR r.rolname IN ('pg_write_all_data', 'pg_database_owner')
FROM pg_roles r CROSS JOIN me WHERE r.oid <> me.oid AND pg_has_role(me.oid, r.oid, 'MEMBER')
UNION ALL
SELECT 'owners', obj.name || ' owned by ' || quote_ident(pg_get_userbyid(obj.owner)), true
FROM obj WHERE obj.owner IN (SELECT oid FROM mine)
UNION ALL
SELECT 'grants', format('grant %s on %s to %s', a.privilege_type, obj.name,
    CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END),
  a.privilege_type = ANY (obj.wipes)
FROM obj CROSS JOIN LATERAL aclexplode(obj.acl) a
WHERE a.grantee <> obj.owner AND (a.grantee = 0 OR a.grantee IN (SELECT oid FROM mine))
UNION ALL
SELECT 'defaults', format('default: %s created by %s%s grant %s to %s',
    CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' ELSE 'schemas' END,
    quote_ident(pg_get_userbyid(d.defaclrole)), CASE WHEN d.defaclnamespace = 0 THEN '' ELSE ' in ' || quote_ident(n.nspname) END,
    a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END),
  a.privilege_type = 'TRUNCATE' OR (d.defaclobjtype = 'S' AND a.privilege_type = 'UPDATE')
FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace CROSS JOIN LATERAL aclexplode(d.defaclacl) a
WHERE a.grantee = 0 OR a.grantee IN (SELECT oid FROM mine)`

export const PRIVILEGE_KINDS = ['attributes', 'memberships', 'owners', 'grants', 'defaults'] as const

export interface PrivilegeSnapshot {
  role: string
  takenAt: Date
  /** Sorted, one per power. */
  entries: string[]
  destructive: Set<string>
  counts: Record<string, number>
  /** Of the sorted entries: equal hashes mean nothing changed, without comparing entry by entry. */
  hash: string
}

/** The role's powers in the database the pool is connected to; null when the role does not exist. */
export async function readPrivilegeSnapshot(pool: pg.Pool, role: string, now = new Date()): Promise<PrivilegeSnapshot | null> {
  const { rows: exists } = await pool.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])
  if (exists.length === 0) return null
  const { rows } = await pool.query<{ kind: string, entry: string, destructive: boolean }>(SNAPSHOT, [role])
  const counts = Object.fromEntries(PRIVILEGE_KINDS.map((k) => [k, 0]))
  for (const r of rows) counts[r.kind]! += 1
  const entries = rows.map((r) => r.entry).sort()
  return { role, takenAt: now, entries, destructive: new Set(rows.filter((r) => r.destructive).map((r) => r.entry)), counts, hash: hashEntries(entries) }
}

export const hashEntries = (sorted: readonly string[]): string => createHash('sha256').update(sorted.join('\n')).digest('hex')

/** What the end holds that the start did not, and the reverse; an added power is destructive as the end's read judged it. */
export function diffEntries(start: readonly string[], end: PrivilegeSnapshot): { added: PrivilegeChange[], removed: PrivilegeChange[] } {
  const before = new Set(start)
  const after = new Set(end.entries)
  return {
    added: end.entries.filter((e) => !before.has(e)).map((entry) => ({ entry, destructive: end.destructive.has(entry) })),
    removed: start.filter((e) => !after.has(e)).map((entry) => ({ entry, destructive: false })),
  }
}
