import type pg from 'pg'

/** One privilege as aclexplode reports it; `grantee` null is PUBLIC. The grantor is left out: a GRANT by the owner's member is recorded as the owner's. */
export interface AclEntry { grantee: string | null, privilege: string, grantable: boolean }

export type ObjectKind = 'schema' | 'table' | 'view' | 'materialized view' | 'sequence' | 'foreign table'
  | 'function' | 'procedure' | 'aggregate' | 'type' | 'domain' | 'large object'

export interface CatalogObject {
  kind: ObjectKind
  schema: string | null
  name: string
  /** A routine's identity arguments, as the server formats them. */
  args: string | null
  owner: string
  /** An owned sequence (serial, identity column): its owner follows its table's. */
  followsTable: boolean
  /** Effective privileges: the built-in defaults when the catalog holds none. */
  acl: AclEntry[]
  columns: { name: string, acl: AclEntry[] }[]
}

export interface DefaultAcl { role: string, schema: string | null, objtype: 'r' | 'S' | 'f' | 'T' | 'n', acl: AclEntry[] }

export interface DatabaseFacts {
  name: string
  owner: string
  acl: AclEntry[]
  connectionLimit: number
  encoding: string
  tablespace: string
  /** The pg_database row, for the locale columns that differ between PostgreSQL versions. */
  raw: Record<string, unknown>
  /** `ALTER DATABASE … SET` values, as stored (`name=value`). */
  settings: string[]
  /** `ALTER ROLE … IN DATABASE … SET` entries, which a restore role may not recreate. */
  roleSettings: number
}

export interface CatalogSnapshot { database: DatabaseFacts, objects: CatalogObject[], defaultAcls: DefaultAcl[] }

const acl = (expr: string) => `coalesce((SELECT json_agg(json_build_object('grantee', CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END,
  'privilege', a.privilege_type, 'grantable', a.is_grantable) ORDER BY a.grantee, a.privilege_type) FROM aclexplode(${expr}) a), '[]')`
const userNamespace = (n: string) => `${n}.nspname NOT IN ('pg_catalog', 'information_schema') AND ${n}.nspname !~ '^pg_(toast|temp_)'`
// Extension members are created and owned through their extension, never one by one.
const notInExtension = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`

const OBJECTS_SQL = `
  SELECT 'schema' AS kind, NULL AS schema, n.nspname AS name, NULL AS args, pg_get_userbyid(n.nspowner) AS owner, false AS follows_table,
    ${acl("coalesce(n.nspacl, acldefault('n', n.nspowner))")} AS acl, '[]'::json AS columns
  FROM pg_namespace n WHERE ${userNamespace('n')} AND ${notInExtension('pg_namespace', 'n.oid')}
  UNION ALL
  SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' ELSE 'table' END,
    n.nspname, c.relname, NULL, pg_get_userbyid(c.relowner),
    c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
      AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')),
    ${acl("coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner))")},
    coalesce((SELECT json_agg(json_build_object('name', t.attname, 'acl', ${acl('t.attacl')}) ORDER BY t.attname)
      FROM pg_attribute t WHERE t.attrelid = c.oid AND NOT t.attisdropped AND cardinality(t.attacl) > 0), '[]')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relpersistence <> 't' AND ${userNamespace('n')} AND ${notInExtension('pg_class', 'c.oid')}
  UNION ALL
  SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END, n.nspname, p.proname,
    pg_get_function_identity_arguments(p.oid), pg_get_userbyid(p.proowner), false,
    ${acl("coalesce(p.proacl, acldefault('f', p.proowner))")}, '[]'
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${userNamespace('n')} AND ${notInExtension('pg_proc', 'p.oid')}
  UNION ALL
  SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, n.nspname, t.typname, NULL, pg_get_userbyid(t.typowner), false,
    ${acl("coalesce(t.typacl, acldefault('T', t.typowner))")}, '[]'
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE (t.typtype IN ('d', 'e', 'r') OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c')))
    AND ${userNamespace('n')} AND ${notInExtension('pg_type', 't.oid')}
  UNION ALL
  SELECT 'large object', NULL, l.oid::text, NULL, pg_get_userbyid(l.lomowner), false, ${acl("coalesce(l.lomacl, acldefault('L', l.lomowner))")}, '[]'
  FROM pg_largeobject_metadata l`

const DEFAULT_ACLS_SQL = `
  SELECT pg_get_userbyid(d.defaclrole) AS role, n.nspname AS schema, d.defaclobjtype AS objtype, ${acl('d.defaclacl')} AS acl
  FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace`

const DATABASE_SQL = `
  SELECT d.datname AS name, pg_get_userbyid(d.datdba) AS owner, ${acl("coalesce(d.datacl, acldefault('d', d.datdba))")} AS acl,
    d.datconnlimit AS connection_limit, pg_encoding_to_char(d.encoding) AS encoding, s.spcname AS tablespace, to_jsonb(d) AS raw,
    coalesce((SELECT r.setconfig FROM pg_db_role_setting r WHERE r.setdatabase = d.oid AND r.setrole = 0), '{}') AS settings,
    (SELECT count(*)::int FROM pg_db_role_setting r WHERE r.setdatabase = d.oid AND r.setrole <> 0) AS role_settings
  FROM pg_database d JOIN pg_tablespace s ON s.oid = d.dattablespace WHERE d.datname = current_database()`

/** Owners and privileges of the connected database and the objects in it: a few set-based catalog queries. */
export async function readCatalog(c: pg.ClientBase): Promise<CatalogSnapshot> {
  const { rows: [db] } = await c.query(DATABASE_SQL)
  const { rows: objects } = await c.query(OBJECTS_SQL)
  const { rows: defaultAcls } = await c.query<DefaultAcl>(DEFAULT_ACLS_SQL)
  return {
    database: {
      name: db.name, owner: db.owner, acl: db.acl, connectionLimit: db.connection_limit, encoding: db.encoding,
      tablespace: db.tablespace, raw: db.raw, settings: db.settings, roleSettings: db.role_settings,
    },
    objects: objects.map((o) => ({
      kind: o.kind, schema: o.schema, name: o.name, args: o.args, owner: o.owner, followsTable: o.follows_table, acl: o.acl, columns: o.columns,
    })),
    defaultAcls,
  }
}

export function objectKey(o: Pick<CatalogObject, 'kind' | 'schema' | 'name' | 'args'>): string {
  return `${o.kind} ${o.schema === null ? '' : `${o.schema}.`}${o.name}${o.args === null ? '' : `(${o.args})`}`
}
