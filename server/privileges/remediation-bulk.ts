import { lit, type Stmt } from './remediation'

// Findings can cover thousands of objects. Up to LIST_CAP objects in a schema the script names each one;
// beyond that it loops over the catalog once per schema, so its length follows the schemas, not the objects.
export const LIST_CAP = 20

/** Statements for each object of a schema, or, past LIST_CAP objects in it, the schema's loop. */
export function bySchema<T extends { schema: string }>(items: T[], each: (item: T) => Stmt[], loop: (schema: string, items: T[]) => Stmt[]): Stmt[] {
  const schemas = new Map<string, T[]>()
  for (const item of items) schemas.set(item.schema, [...(schemas.get(item.schema) ?? []), item])
  return [...schemas].flatMap(([schema, group]) => (group.length > LIST_CAP ? loop(schema, group) : group.flatMap(each)))
}

const roleOid = (role: string) => `(SELECT oid FROM pg_roles WHERE rolname = ${lit(role)})`

/** Relations owned by the role; `movable` leaves out sequences that follow their table's owner. */
export function ownedBy(role: string, movable = false): string {
  const linked = `EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))`
  return `c.relowner = ${roleOid(role)}${movable ? ` AND NOT ${linked}` : ''}`
}

/** Relations whose ACL holds one of the privileges for the grantee (null: PUBLIC), granted by the owner. */
export function grantedTo(grantee: string | null, privileges: string[]): string {
  return `EXISTS (SELECT FROM aclexplode(c.relacl) a WHERE a.grantee = ${grantee === null ? '0' : roleOid(grantee)}
        AND a.grantor = c.relowner AND a.privilege_type IN (${privileges.map(lit).join(', ')}))`
}

/**
 * A DO block running each statement for every table, view, materialized view and sequence of the schema that
 * `where` selects. Statements are format() templates (names through qf): %1$s is the relation, %2$s what the
 * app keeps on it ("SELECT, INSERT, UPDATE, DELETE ON TABLE", "SELECT ON TABLE" for a materialized view,
 * "USAGE, SELECT ON SEQUENCE"), %3$s the write privileges PUBLIC holds on it.
 */
export function eachRelationSql(schema: string, where: string, statements: string[]): string {
  const body = [
    'DECLARE r record;',
    'BEGIN',
    '  FOR r IN SELECT c.oid::regclass AS rel,',
    "      CASE c.relkind WHEN 'S' THEN 'USAGE, SELECT ON SEQUENCE' WHEN 'm' THEN 'SELECT ON TABLE' ELSE 'SELECT, INSERT, UPDATE, DELETE ON TABLE' END AS app,",
    "      (SELECT string_agg(a.privilege_type, ', ') FROM aclexplode(c.relacl) a WHERE a.grantee = 0 AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE')) AS public_write",
    `    FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = ${lit(schema)})`,
    `      AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND ${where}`,
    '  LOOP',
    ...statements.map((s) => `    EXECUTE format(${lit(s)}, r.rel, r.app, r.public_write);`),
    '  END LOOP;',
    'END',
  ].join('\n')
  const tag = dollarTag(body)
  return `DO ${tag}\n${body}\n${tag};`
}

// A name can hold "$body$": pick a tag the body does not contain, or it would end the block early.
function dollarTag(body: string): string {
  let n = 0
  while (body.includes(`$body${n || ''}$`)) n += 1
  return `$body${n || ''}$`
}
