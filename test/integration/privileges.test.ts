import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import type { PrivilegeReport, TablePower } from '~contract/privileges'
import { analyzePrivileges, UnknownRoleError } from '~server/privileges/analyze'
import { asSuperuser, cluster } from '../support/db'
import { roleScope } from '../support/role-scope'

const scope = roleScope('pv')
const P = scope.prefix
const names = scope.names
// Same starting point on 13–17: PUBLIC has no CREATE on public (the default only from 15).
const scenario = (label: string, sql: string) => scope.database(label, `REVOKE CREATE ON SCHEMA public FROM PUBLIC; ${sql}`)

afterAll(scope.cleanup)

const POWERS = ['select', 'insert', 'update', 'delete', 'truncate'] as const
const flag = (p: TablePower) => `can${p[0].toUpperCase()}${p.slice(1)}` as 'canSelect'

/** Compares every relation of the database with has_table_privilege / pg_has_role, queried here. */
async function expectGroundTruth(pool: pg.Pool, role: string, report: PrivilegeReport) {
  const { rows } = await pool.query(`
    SELECT n.nspname || '.' || c.relname AS name, c.relkind::text AS kind,
      ${POWERS.map((p) => `CASE WHEN c.relkind = 'S' THEN false ELSE has_table_privilege($1, c.oid, '${p}') END AS "${p}"`).join(', ')},
      CASE WHEN c.relkind = 'S' THEN has_sequence_privilege($1, c.oid, 'UPDATE') END AS seq_update,
      CASE WHEN c.relkind = 'S' THEN has_sequence_privilege($1, c.oid, 'USAGE') END AS seq_usage,
      pg_has_role($1, c.relowner, 'USAGE') AS owner_usage, pg_has_role($1, c.relowner, 'MEMBER') AS owner_member
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%'`, [role])
  const tables = new Map(report.tables.map((t) => [`${t.schema}.${t.name}`, t]))
  const sequences = new Map(report.sequences.map((s) => [`${s.schema}.${s.name}`, s]))
  for (const g of rows) {
    if (g.kind === 'S') {
      const s = sequences.get(g.name)
      if (!s) { expect(g.seq_update || g.seq_usage || g.owner_member, g.name).toBe(false); continue }
      expect(s.sources.reset.some((x) => !x.setRoleOnly), `${g.name} reset`).toBe(g.seq_update)
      expect(s.canUsage, `${g.name} usage`).toBe(g.seq_usage || s.sources.usage.length > 0)
      expect(s.canDrop, `${g.name} drop`).toBe(g.owner_member)
      continue
    }
    const t = tables.get(g.name)
    if (!t) { expect(POWERS.some((p) => g[p]) || g.owner_member, `${g.name} is missing`).toBe(false); continue }
    for (const p of POWERS) {
      expect(t.sources[p].some((s) => !s.setRoleOnly), `${g.name} ${p} without SET ROLE`).toBe(g[p])
      expect(t[flag(p)], `${g.name} ${p}`).toBe(g[p] || t.sources[p].length > 0)
    }
    expect(t.sources.drop.some((s) => !s.setRoleOnly), `${g.name} drop without SET ROLE`).toBe(g.owner_usage)
    expect(t.canDrop, `${g.name} drop`).toBe(g.owner_member)
  }
}

async function analyse(pool: pg.Pool, role: string) {
  const report = await analyzePrivileges(pool, role)
  await expectGroundTruth(pool, role, report)
  return report
}
const table = (r: PrivilegeReport, name: string) => r.tables.find((t) => `${t.schema}.${t.name}` === name)!
const codes = (r: PrivilegeReport) => r.findings.map((f) => f.code)

describe('privileges: ownership', () => {
  it('an owner can DROP and TRUNCATE with no GRANT at all', async () => {
    const r = names('app')
    const db = await scenario('owner', `CREATE ROLE ${r.app} LOGIN; CREATE TABLE users (id int); ALTER TABLE users OWNER TO ${r.app};`)
    const report = await analyse(db.pool, r.app)
    expect(table(report, 'public.users')).toMatchObject({ ownedByRole: true, canDrop: true, canTruncate: true, kind: 'table' })
    expect(table(report, 'public.users').sources.drop).toEqual([{ kind: 'owner' }])
    const f = report.findings.find((x) => x.code === 'owns-tables')!
    expect(f).toMatchObject({ severity: 'destructive', count: 1, objects: ['public.users'] })
    expect(f.message).toContain('TRUNCATE')
    expect(f.remediation).not.toMatch(/REVOKE DROP/i)
    expect(report.verdict).toBe('unsafe')
  })

  it('a member of the owner with INHERIT holds its powers without SET ROLE', async () => {
    const r = names('owner', 'app')
    const db = await scenario('inherit', `CREATE ROLE ${r.owner} NOLOGIN; CREATE ROLE ${r.app} LOGIN INHERIT; GRANT ${r.owner} TO ${r.app};
      CREATE TABLE orders (id int); ALTER TABLE orders OWNER TO ${r.owner};`)
    const report = await analyse(db.pool, r.app)
    const { rows } = await db.pool.query(`SELECT pg_has_role($1, $2, 'USAGE') AS usage`, [r.app, r.owner])
    expect(rows[0].usage).toBe(true)
    expect(table(report, 'public.orders').sources.drop).toEqual([{ kind: 'membership', via: [r.app, r.owner], setRoleOnly: false }])
    expect(report.memberships).toEqual([{ role: r.owner, via: [r.app, r.owner], inherited: true, setRole: true, predefined: false }])
    const f = report.findings.find((x) => x.code === 'owns-tables')!
    expect(f.message).toContain(r.owner)
    expect(f.remediation).toContain(`REVOKE "${r.owner}" FROM "${r.app}"`)
  })

  it('through a NOINHERIT role the owner is one SET ROLE away, and that counts', async () => {
    const r = names('owner', 'mid', 'app')
    const pw = randomBytes(12).toString('hex')
    const db = await scenario('noinherit', `CREATE ROLE ${r.owner} NOLOGIN; CREATE ROLE ${r.mid} NOLOGIN NOINHERIT;
      CREATE ROLE ${r.app} LOGIN INHERIT PASSWORD '${pw}'; GRANT ${r.owner} TO ${r.mid}; GRANT ${r.mid} TO ${r.app};
      CREATE TABLE events (id int); ALTER TABLE events OWNER TO ${r.owner};`)
    const report = await analyse(db.pool, r.app)
    const { rows } = await db.pool.query(`SELECT pg_has_role($1, $2, 'USAGE') AS usage, pg_has_role($1, $2, 'MEMBER') AS member,
      has_table_privilege($1, 'events', 'TRUNCATE') AS trunc`, [r.app, r.owner])
    expect(rows[0]).toEqual({ usage: false, member: true, trunc: false })
    expect(table(report, 'public.events')).toMatchObject({ canDrop: true, canTruncate: true, ownedByRole: true })
    expect(table(report, 'public.events').sources.drop).toEqual([{ kind: 'membership', via: [r.app, r.mid, r.owner], setRoleOnly: true }])
    expect(report.memberships.find((m) => m.role === r.owner)).toMatchObject({ inherited: false, setRole: true })
    expect(report.findings.find((f) => f.code === 'member-of-owner')).toMatchObject({ severity: 'destructive', objects: ['public.events'] })
    expect(report.verdict).toBe('unsafe')
    // The user-visible truth: logged in as the app, TRUNCATE is refused but SET ROLE + DROP works.
    const client = new pg.Client(cluster().urlFor(db.name, r.app, pw))
    await client.connect()
    try {
      await expect(client.query('TRUNCATE events')).rejects.toThrow(/permission denied/)
      await client.query('BEGIN')
      await client.query(`SET ROLE ${r.owner}`)
      await client.query('DROP TABLE events')
      await client.query('ROLLBACK')
    } finally { await client.end() }
  })

  it('the database owner can drop the database (and, from 14, owns public through pg_database_owner)', async () => {
    const r = names('app')
    const db = await scenario('dbowner', `CREATE ROLE ${r.app} LOGIN; CREATE TABLE items (id int);`)
    await asSuperuser(db.url, `ALTER DATABASE ${db.name} OWNER TO ${r.app}`)
    const report = await analyse(db.pool, r.app)
    const { rows } = await db.pool.query(`SELECT pg_has_role($1, datdba, 'MEMBER') AS owner FROM pg_database WHERE datname = current_database()`, [r.app])
    expect(rows[0].owner).toBe(true)
    expect(report.database).toMatchObject({ name: db.name, owner: r.app, ownedByRole: true, canDrop: true, source: { kind: 'owner' } })
    expect(report.findings.find((f) => f.code === 'owns-database')).toMatchObject({ severity: 'destructive', objects: [db.name] })
    if (report.serverVersionNum >= 150000) {
      const { rows: dbo } = await db.pool.query(`SELECT pg_has_role($1, 'pg_database_owner', 'USAGE') AS m`, [r.app])
      expect(dbo[0].m).toBe(true)
      expect(report.schemas.find((s) => s.name === 'public')).toMatchObject({ owner: 'pg_database_owner', canDrop: true, tableCount: 1 })
      expect(codes(report)).toContain('owns-schema-with-tables')
    }
  })

  it('reports partitioned tables, their partitions, views and materialized views by kind', async () => {
    const r = names('app', 'other')
    const db = await scenario('kinds', `CREATE ROLE ${r.app} LOGIN; CREATE ROLE ${r.other} NOLOGIN;
      CREATE TABLE measures (at date, v int) PARTITION BY RANGE (at);
      CREATE TABLE measures_2024 PARTITION OF measures FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TABLE measures_2025 PARTITION OF measures FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      ALTER TABLE measures OWNER TO ${r.app}; ALTER TABLE measures_2024 OWNER TO ${r.app}; ALTER TABLE measures_2025 OWNER TO ${r.app};
      CREATE TABLE base (id int); ALTER TABLE base OWNER TO ${r.other};
      CREATE VIEW base_view AS SELECT * FROM base; ALTER VIEW base_view OWNER TO ${r.other}; GRANT SELECT ON base_view TO ${r.app};
      CREATE VIEW own_view AS SELECT 1 AS x; ALTER VIEW own_view OWNER TO ${r.app};
      CREATE MATERIALIZED VIEW totals AS SELECT count(*) FROM base; ALTER MATERIALIZED VIEW totals OWNER TO ${r.app};`)
    const report = await analyse(db.pool, r.app)
    expect(table(report, 'public.measures')).toMatchObject({ kind: 'partitioned table', canDrop: true, canTruncate: true })
    expect(table(report, 'public.measures_2024')).toMatchObject({ kind: 'table', canDrop: true })
    expect(table(report, 'public.base_view')).toMatchObject({ kind: 'view', canSelect: true, canDrop: false, canDelete: false })
    expect(table(report, 'public.base_view').sources.select).toEqual([{ kind: 'grant', grantor: r.other }])
    expect(table(report, 'public.own_view')).toMatchObject({ kind: 'view', canDrop: true })
    expect(table(report, 'public.totals')).toMatchObject({ kind: 'materialized view', canDrop: true })
    expect(report.tables.some((t) => t.name === 'base')).toBe(false)
    const f = report.findings.find((x) => x.code === 'owns-tables')!
    expect(f.count).toBe(5)
    expect(f.message).toMatch(/2 tables, 1 partitioned table, 1 view and 1 materialized view/)
  })

  it('throws UnknownRoleError for a role that does not exist', async () => {
    const db = await scenario('unknown', 'SELECT 1')
    await expect(analyzePrivileges(db.pool, `${P}_nobody`)).rejects.toBeInstanceOf(UnknownRoleError)
  })

  it('a superuser can do everything, whatever the grants say', async () => {
    const r = names('root')
    const db = await scenario('super', `CREATE ROLE ${r.root} SUPERUSER LOGIN; CREATE TABLE secrets (id int);`)
    const report = await analyse(db.pool, r.root)
    expect(report.attributes.superuser).toBe(true)
    expect(table(report, 'public.secrets')).toMatchObject({ canDrop: true, canTruncate: true, canDelete: true, ownedByRole: false })
    expect(table(report, 'public.secrets').sources.truncate).toEqual([{ kind: 'superuser' }])
    expect(report.database.canDrop).toBe(true)
    expect(report.findings[0]).toMatchObject({ code: 'superuser', severity: 'destructive' })
    expect(report.findings[0].remediation).toContain(`ALTER ROLE "${r.root}" NOSUPERUSER;`)
    expect(report.verdict).toBe('unsafe')
  })
})

describe('privileges: grants, PUBLIC and predefined roles', () => {
  it('a TRUNCATE grant is destructive even without ownership', async () => {
    const r = names('owner', 'app')
    const db = await scenario('truncate', `CREATE ROLE ${r.owner} NOLOGIN; CREATE ROLE ${r.app} LOGIN;
      CREATE TABLE audit (id int); ALTER TABLE audit OWNER TO ${r.owner};
      SET ROLE ${r.owner}; GRANT SELECT, TRUNCATE ON audit TO ${r.app}; RESET ROLE;`)
    const report = await analyse(db.pool, r.app)
    expect(table(report, 'public.audit')).toMatchObject({ canTruncate: true, canDrop: false, canDelete: false, ownedByRole: false })
    expect(table(report, 'public.audit').sources.truncate).toEqual([{ kind: 'grant', grantor: r.owner }])
    const f = report.findings.find((x) => x.code === 'truncate-grant')!
    expect(f).toMatchObject({ severity: 'destructive', objects: ['public.audit'], count: 1 })
    expect(f.remediation).toBe(`REVOKE TRUNCATE ON TABLE "public"."audit" FROM "${r.app}";`)
    expect(report.verdict).toBe('unsafe')
  })

  it('DELETE granted to PUBLIC reaches the role with no grant of its own', async () => {
    const r = names('app')
    const db = await scenario('public_delete', `CREATE ROLE ${r.app} LOGIN; CREATE TABLE logs (id int); GRANT DELETE ON logs TO PUBLIC;`)
    const report = await analyse(db.pool, r.app)
    expect(table(report, 'public.logs')).toMatchObject({ canDelete: true, canSelect: false, canTruncate: false, canDrop: false })
    expect(table(report, 'public.logs').sources.delete).toEqual([{ kind: 'public', grantor: 'postgres' }])
    expect(report.findings.map((f) => [f.code, f.severity])).toEqual([['public-write', 'warning']])
    expect(report.verdict).toBe('warning')
  })

  it('pg_write_all_data gives INSERT/UPDATE/DELETE everywhere but not TRUNCATE or DROP', async () => {
    const r = names('owner', 'app')
    const db = await scenario('write_all', `CREATE ROLE ${r.owner} NOLOGIN; CREATE ROLE ${r.app} LOGIN;
      CREATE TABLE a (id serial); CREATE TABLE b (id int); ALTER TABLE a OWNER TO ${r.owner}; ALTER TABLE b OWNER TO ${r.owner};`)
    if (Number((await db.pool.query('SHOW server_version_num')).rows[0].server_version_num) < 140000) return
    await asSuperuser(db.url, `GRANT pg_write_all_data TO ${r.app}`)
    const report = await analyse(db.pool, r.app)
    for (const name of ['public.a', 'public.b']) {
      expect(table(report, name)).toMatchObject({ canInsert: true, canUpdate: true, canDelete: true, canTruncate: false, canDrop: false, canSelect: false })
    }
    expect(table(report, 'public.a').sources.delete).toEqual([{ kind: 'predefined', via: [r.app, 'pg_write_all_data'], setRoleOnly: false }])
    expect(report.memberships).toEqual([{ role: 'pg_write_all_data', via: [r.app, 'pg_write_all_data'], inherited: true, setRole: true, predefined: true }])
    expect(report.findings.find((f) => f.code === 'write-all-data')).toMatchObject({ severity: 'destructive' })
    expect(report.verdict).toBe('unsafe')
  })

  it('CREATE on a schema is an escalation path', async () => {
    const r = names('app')
    const db = await scenario('schema_create', `CREATE ROLE ${r.app} LOGIN; CREATE SCHEMA shared; GRANT USAGE, CREATE ON SCHEMA shared TO ${r.app};`)
    const report = await analyse(db.pool, r.app)
    const { rows } = await db.pool.query(`SELECT has_schema_privilege($1, 'shared', 'CREATE') AS c, has_schema_privilege($1, 'public', 'CREATE') AS p`, [r.app])
    expect(rows[0]).toEqual({ c: true, p: false })
    expect(report.schemas.find((s) => s.name === 'shared')).toMatchObject({ canCreate: true, canUsage: true, canDrop: false, createViaPublic: false })
    expect(report.schemas.find((s) => s.name === 'public')).toMatchObject({ canCreate: false })
    const f = report.findings.find((x) => x.code === 'schema-create')!
    expect(f).toMatchObject({ severity: 'warning', objects: ['shared'] })
    expect(f.remediation).toBe(`REVOKE CREATE ON SCHEMA "shared" FROM "${r.app}";`)
    expect(report.verdict).toBe('warning')
  })

  it('default privileges that will give TRUNCATE on future tables are flagged', async () => {
    const r = names('owner', 'app')
    const db = await scenario('defaults', `CREATE ROLE ${r.owner} NOLOGIN; CREATE ROLE ${r.app} LOGIN; GRANT CREATE ON SCHEMA public TO ${r.owner};
      ALTER DEFAULT PRIVILEGES FOR ROLE ${r.owner} IN SCHEMA public GRANT SELECT, TRUNCATE ON TABLES TO ${r.app};`)
    const report = await analyse(db.pool, r.app)
    expect(report.defaultPrivileges).toEqual([{ grantor: r.owner, schema: 'public', objectType: 'tables', privileges: ['SELECT', 'TRUNCATE'], grantee: r.app, dangerous: true }])
    const f = report.findings.find((x) => x.code === 'default-privileges-dangerous')!
    expect(f.remediation).toBe(`ALTER DEFAULT PRIVILEGES FOR ROLE "${r.owner}" IN SCHEMA "public" REVOKE TRUNCATE ON TABLES FROM "${r.app}";`)
    // What the warning is about: the next table that role creates is TRUNCATE-able by the app.
    await asSuperuser(db.url, `SET ROLE ${r.owner}; CREATE TABLE later (id int);`)
    const { rows } = await db.pool.query(`SELECT has_table_privilege($1, 'later', 'TRUNCATE') AS t`, [r.app])
    expect(rows[0].t).toBe(true)
  })

  it('UPDATE on a sequence lets the role reset it', async () => {
    const r = names('owner', 'app')
    const db = await scenario('sequence', `CREATE ROLE ${r.owner} NOLOGIN; CREATE ROLE ${r.app} LOGIN;
      CREATE SEQUENCE invoice_no; ALTER SEQUENCE invoice_no OWNER TO ${r.owner};
      CREATE SEQUENCE ticket_no; ALTER SEQUENCE ticket_no OWNER TO ${r.owner};
      SET ROLE ${r.owner}; GRANT UPDATE ON SEQUENCE invoice_no TO ${r.app}; GRANT USAGE, SELECT ON SEQUENCE ticket_no TO ${r.app}; RESET ROLE;`)
    const report = await analyse(db.pool, r.app)
    const seq = (name: string) => report.sequences.find((s) => s.name === name)!
    expect(seq('invoice_no')).toMatchObject({ canReset: true, canDrop: false, canUsage: false, linkedTo: null })
    expect(seq('ticket_no')).toMatchObject({ canReset: false, canUsage: true, canSelect: true })
    const f = report.findings.find((x) => x.code === 'sequence-reset')!
    expect(f).toMatchObject({ severity: 'warning', objects: ['public.invoice_no'] })
    expect(f.remediation).toContain('REVOKE UPDATE ON SEQUENCE "public"."invoice_no"')
  })

  it('a least-privilege app role is safe: its grants are shown, not flagged', async () => {
    const r = names('owner', 'app')
    const db = await scenario('least', `CREATE ROLE ${r.owner} NOLOGIN; CREATE ROLE ${r.app} LOGIN;
      CREATE TABLE customers (id serial PRIMARY KEY, name text); ALTER TABLE customers OWNER TO ${r.owner};
      SET ROLE ${r.owner}; GRANT SELECT, INSERT, UPDATE, DELETE ON customers TO ${r.app};
      GRANT USAGE, SELECT ON SEQUENCE customers_id_seq TO ${r.app}; RESET ROLE;`)
    const report = await analyse(db.pool, r.app)
    expect(report.findings).toEqual([])
    expect(report.verdict).toBe('safe')
    expect(table(report, 'public.customers')).toMatchObject({ canSelect: true, canInsert: true, canUpdate: true, canDelete: true, canTruncate: false, canDrop: false })
    expect(report.sequences[0]).toMatchObject({ name: 'customers_id_seq', linkedTo: 'public.customers', canUsage: true, canReset: false })
    expect(report.database).toMatchObject({ canConnect: true, canDrop: false, ownedByRole: false })
    expect(report.schemas.find((s) => s.name === 'public')).toMatchObject({ canUsage: true, canCreate: false })
  })
})
