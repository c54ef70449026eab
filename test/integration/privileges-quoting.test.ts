import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { analyzePrivileges } from '~server/privileges/analyze'
import { LIST_CAP } from '~server/privileges/remediation-bulk'
import { q } from '~server/privileges/remediation'
import { asSuperuser, cluster, createTestDatabase, queryRows } from '../support/db'
import { applyRemediation } from '../support/remediation'

// The U&"…" form q() writes for names with line breaks must name the very same role on a real server.
describe('quoting names for remediation scripts', () => {
  const name = `app_${randomBytes(3).toString('hex')}\nDROP DATABASE postgres; -- "\\`
  const app = `app_${randomBytes(3).toString('hex')} 100% "it's"`
  const dbs: Awaited<ReturnType<typeof createTestDatabase>>[] = []
  afterAll(async () => {
    for (const db of dbs) await db.drop()
    for (const r of [`${app}_owner`, app, name]) await asSuperuser(cluster().adminUrl, `DROP ROLE IF EXISTS ${q(r)}`)
  })

  it('a role whose name holds a line break is created, altered and found under its exact name', async () => {
    await asSuperuser(cluster().adminUrl, `CREATE ROLE ${q(name)} NOLOGIN;\nALTER ROLE ${q(name)} CREATEDB;\n-- ${q(name)} is a comment, not a statement`)
    const rows = await queryRows(cluster().adminUrl, 'SELECT rolname, rolcreatedb FROM pg_roles WHERE rolname = $1', [name])
    expect(rows).toEqual([{ rolname: name, rolcreatedb: true }])
    expect(await queryRows(cluster().adminUrl, "SELECT 1 FROM pg_database WHERE datname = 'postgres'")).toHaveLength(1)
  })

  it('the per-schema loops name a hostile schema, role and tables exactly, and move every table', async () => {
    const db = await createTestDatabase('quoting_loop')
    dbs.push(db)
    const schema = `s$body$\n'; DROP DATABASE postgres; --`
    const tables = Array.from({ length: LIST_CAP + 5 }, (_, i) => `t "${i}" $body1$ 50%`)
    await asSuperuser(db.url, `CREATE ROLE ${q(app)} LOGIN; CREATE SCHEMA ${q(schema)}; GRANT USAGE ON SCHEMA ${q(schema)} TO ${q(app)};
      ${tables.map((t) => `CREATE TABLE ${q(schema)}.${q(t)} (id serial PRIMARY KEY); ALTER TABLE ${q(schema)}.${q(t)} OWNER TO ${q(app)};`).join('\n')}`)
    const before = await analyzePrivileges(db.pool, app)
    expect(before.remediation!.script).toMatch(/^DO \$body\d*\$$/m)
    applyRemediation(db.url, before)
    // Tables and their serial sequences: the owner role owns them, the app keeps INSERT and nextval().
    const owners = await queryRows(db.url, `SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner,
        CASE c.relkind WHEN 'S' THEN has_sequence_privilege($2, c.oid, 'USAGE') ELSE has_table_privilege($2, c.oid, 'INSERT') END AS usable
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'S')`, [schema, app])
    expect(owners).toEqual([{ owner: `${app}_owner`, usable: true }])
    expect((await analyzePrivileges(db.pool, app)).verdict).toBe('safe')
    expect(await queryRows(cluster().adminUrl, "SELECT 1 FROM pg_database WHERE datname = 'postgres'")).toHaveLength(1)
  })
})
