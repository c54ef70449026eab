import { lit, type Stmt } from './remediation'

// Findings can cover thousands of objects. Up to LIST_CAP objects in a schema the script names each one;
// beyond that it loops over the catalog once per schema, so its length follows the schemas, not the objects.
export const LIST_CAP = 20

/** Statements for each object of a schema, or, past LIST_CAP objects in it, the schema's loop. */
export function bySchema<T extends { schema: string }>(items: T[], each: (item: T) => Stmt[], loop: (schema: string, items: T[]) => Stmt[]): Stmt[] {
  const schemas = new Map<string, T[]>()
  for (const item of items) {
    const group = schemas.get(item.schema)
    if (group) group.push(item)
    else schemas.set(item.schema, [item])
  }
  return [...schemas].flatMap(([schema, group]) => (group.length > LIST_CAP ? loop(schema, group) : group.flatMap(each)))
}

const roleOid = (role: string) => `(SELECT oid FROM pg_roles WHERE rolname = ${lit(role)})`

/** Relations owned by the role. */
export const ownedBy = (role: string) => `c.relowner = ${roleOid(role)}`

/** Relations whose ACL holds one of the privileges for the grantee (null: PUBLIC), granted by the owner. */
export function grantedTo(grantee: string | null, privileges: string[]): string {
  return `EXISTS (SELECT FROM aclexplode(c.relacl) a WHERE a.grantee = ${grantee === null ? '0' : roleOid(grantee)}
        AND a.grantor = c.relowner AND a.privilege_type IN (${privileges.map(lit).join(', ')}))`
}

/**
 * A loop statement: a format() template (names through qf) where %1$s is the relation, %2$s what the app keeps
 * on it ("SELECT, INSERT, UPDATE, DELETE ON TABLE", "SELECT ON TABLE" for a materialized view, "USAGE, SELECT ON
 * SEQUENCE") and %3$s the write privileges PUBLIC holds on it.
 */
export const run = (template: string) => `EXECUTE format(${lit(template)}, r.rel, r.app, r.public_write);`

/** A loop statement skipped for sequences behind a serial/identity column: they follow their table. */
export const runUnlessLinked = (template: string) => `IF NOT r.linked THEN ${run(template)} END IF;`

// Sequences come last, after the tables whose ownership they follow. Every 1,000 objects the loop commits:
// one transaction over tens of thousands of tables runs out of lock slots.
const LOOP_SELECT = `SELECT c.oid::regclass AS rel,
      CASE c.relkind WHEN 'S' THEN 'USAGE, SELECT ON SEQUENCE' WHEN 'm' THEN 'SELECT ON TABLE' ELSE 'SELECT, INSERT, UPDATE, DELETE ON TABLE' END AS app,
      (SELECT string_agg(a.privilege_type, ', ') FROM aclexplode(c.relacl) a WHERE a.grantee = 0 AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE')) AS public_write,
      EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
        AND d.deptype IN ('a', 'i')) AS linked
    FROM pg_class c`

/** A DO block running the statements (run, runUnlessLinked) for every relation of the schema that `where` selects. */
export function eachRelationSql(schema: string, where: string, statements: string[]): string {
  const body = [
    'DECLARE r record; n int := 0;',
    'BEGIN',
    `  FOR r IN ${LOOP_SELECT} WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = ${lit(schema)})`,
    `      AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND ${where}`,
    `    ORDER BY c.relkind = 'S'`,
    '  LOOP',
    ...statements.map((s) => `    ${s}`),
    '    n := n + 1;',
    '    IF n % 1000 = 0 THEN COMMIT; END IF;',
    '  END LOOP;',
    'END',
  ].join('\n')
  const tag = dollarTag(body)
  return `DO ${tag}\n${body}\n${tag};`
}

/** Loops commit as they go, so a script holding one cannot run inside a transaction block. */
export const hasLoop = (sql: string) => /^DO \$body\d*\$$/m.test(sql)

// A name can hold "$body$": pick a tag the body does not contain, or it would end the block early.
function dollarTag(body: string): string {
  let n = 0
  while (body.includes(`$body${n || ''}$`)) n += 1
  return `$body${n || ''}$`
}
