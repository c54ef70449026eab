import { loadModule, parseSync } from 'libpg-query'
import { describe, expect, it } from 'vitest'
import type { Membership, SequencePrivileges, Source, TablePower, TablePrivileges } from '~contract/privileges'
import { buildFindings as build, MAX_OBJECTS, verdictOf, type ReportBase } from '~server/privileges/findings'
import { q } from '~server/privileges/remediation'
import { seedCheckGaps } from '~server/privileges/seed-check'

const OWNER: Source = { kind: 'owner' }
const POWERS: TablePower[] = ['drop', 'alter', 'truncate', 'delete', 'update', 'insert', 'select']

function report(over: Partial<ReportBase> = {}): ReportBase {
  return {
    role: 'app', serverVersion: '15.8', serverVersionNum: 150008,
    attributes: { superuser: false, createrole: false, createdb: false, bypassrls: false, replication: false, inherit: true, login: true, connectionLimit: -1, passwordExpiresAt: null },
    memberships: [],
    database: { name: 'shop', owner: 'postgres', ownedByRole: false, canDrop: false, canConnect: true, canCreate: false, canTemp: true, source: null },
    schemas: [{ name: 'public', owner: 'pg_database_owner', canDrop: false, canUsage: true, canCreate: false, createViaPublic: false, tableCount: 0, source: null, createSources: [] }],
    tables: [], sequences: [], defaultPrivileges: [],
    ...over,
  }
}

/** A table whose powers are exactly the given sources (ownership sources apply to every power). */
function table(name: string, given: Partial<Record<TablePower, Source[]>>, owner = 'app', schema = 'public'): TablePrivileges {
  const sources = Object.fromEntries(POWERS.map((p) => [p, given[p] ?? []])) as Record<TablePower, Source[]>
  return {
    schema, name, kind: 'table', owner, ownedByRole: sources.drop.length > 0,
    canDrop: sources.drop.length > 0, canAlter: sources.alter.length > 0, canTruncate: sources.truncate.length > 0,
    canDelete: sources.delete.length > 0, canUpdate: sources.update.length > 0, canInsert: sources.insert.length > 0,
    canSelect: sources.select.length > 0, rls: { enabled: false, forced: false }, sources,
  }
}
const owned = (name: string, schema = 'public') => table(name, Object.fromEntries(POWERS.map((p) => [p, [OWNER]])), 'app', schema)
const dml = (name: string): TablePrivileges => {
  const g: Source[] = [{ kind: 'grant', grantor: 'owner' }]
  return table(name, { select: g, insert: g, update: g, delete: g }, 'owner')
}
function sequence(name: string, sources: Partial<SequencePrivileges['sources']>, linkedTo: string | null = null, owner = 'app'): SequencePrivileges {
  const s = { drop: [], reset: [], usage: [], select: [], ...sources }
  return { schema: 'public', name, owner, ownedByRole: s.drop.length > 0, canDrop: s.drop.length > 0, canReset: s.reset.length > 0, canUsage: s.usage.length > 0, canSelect: s.select.length > 0, linkedTo, sources: s }
}
const buildFindings = (...args: Parameters<typeof build>) => build(...args).findings
const statements = (sql: string, prefix: string) => sql.split('\n').filter((l) => l.startsWith(prefix))

describe('privilege findings', () => {
  it('groups 300 owned tables into one finding with the full count and a capped object list', () => {
    const tables = Array.from({ length: 300 }, (_, i) => owned(`t${String(i).padStart(3, '0')}`))
    const findings = buildFindings(report({ tables }))
    expect(findings.map((f) => f.code)).toEqual(['owns-tables'])
    const [f] = findings
    expect(f).toMatchObject({ severity: 'destructive', count: 300 })
    expect(f.objects).toHaveLength(MAX_OBJECTS)
    expect(f.objects[0]).toBe('public.t000')
    expect(f.message).toMatch(/^app owns 300 tables, so it can DROP and ALTER them and TRUNCATE \(empty\) them without any GRANT/)
    // 300 objects in one schema: one loop over the catalog moves each and grants the app its rows back.
    expect(statements(f.remediation, 'ALTER TABLE')).toEqual([])
    expect(statements(f.remediation, 'DO $body$')).toHaveLength(1)
    expect(f.remediation).toContain('IF NOT r.linked THEN EXECUTE format(\'ALTER TABLE %1$s OWNER TO "app_owner"\', r.rel, r.app, r.public_write); END IF;')
    expect(f.remediation).toContain('EXECUTE format(\'GRANT %2$s %1$s TO "app"\', r.rel, r.app, r.public_write);')
    expect(f.remediation.split('\n').length).toBeLessThan(40)
    expect(f.remediation).not.toMatch(/REVOKE\s+DROP/i)
    expect(verdictOf(findings)).toBe('unsafe')
  })

  it('creates the migration owner once, first in the one script, and not at all when it exists', () => {
    const base = report({
      tables: [owned('users')],
      database: { name: 'shop', owner: 'app', ownedByRole: true, canDrop: true, canConnect: true, canCreate: true, canTemp: true, source: OWNER },
    })
    const { findings, remediation } = build(base)
    expect(findings.map((f) => f.code)).toEqual(['owns-database', 'owns-tables'])
    expect(findings.some((f) => f.remediation.includes('CREATE ROLE'))).toBe(false)
    const lines = remediation!.script.split('\n')
    expect(lines.filter((l) => l.startsWith('CREATE ROLE'))).toEqual(['CREATE ROLE "app_owner" NOLOGIN;'])
    expect(lines.indexOf('CREATE ROLE "app_owner" NOLOGIN;')).toBeLessThan(lines.indexOf('ALTER DATABASE "shop" OWNER TO "app_owner";'))
    const existing = build(base, { ownerRole: { name: 'app_migrator', exists: true } })
    expect(existing.remediation!.script).not.toContain('CREATE ROLE')
    expect(existing.findings[1].remediation).toContain('ALTER TABLE "public"."users" OWNER TO "app_migrator";')
  })

  it('quotes identifiers and leaves serial sequences to follow their table', () => {
    const t = owned('Order "Items"', 'Sales')
    const seq = sequence('Order "Items"_id_seq', { drop: [OWNER], reset: [OWNER], usage: [OWNER], select: [OWNER] }, 'Sales.Order "Items"')
    const [f] = buildFindings(report({ role: 'web app', tables: [t], sequences: [{ ...seq, schema: 'Sales' }] }))
    expect(f.remediation).toContain('ALTER TABLE "Sales"."Order ""Items""" OWNER TO "web app_owner";')
    expect(f.remediation).not.toContain('ALTER SEQUENCE')
    expect(f.remediation).toContain('GRANT USAGE, SELECT ON SEQUENCE "Sales"."Order ""Items""_id_seq" TO "web app";')
    expect(f.count).toBe(1)
  })

  it('revokes grants made by someone other than the owner as that grantor, keeping each block whole', () => {
    const byLead: Source[] = [{ kind: 'grant', grantor: 'lead' }]
    const findings = buildFindings(report({ tables: [table('a', { truncate: byLead }, 'owner'), table('b', { truncate: byLead }, 'owner')] }))
    expect(findings[0].code).toBe('truncate-grant')
    expect(findings[0].remediation).toBe([
      'SET ROLE "lead";', 'REVOKE TRUNCATE ON TABLE "public"."a" FROM "app";', 'RESET ROLE;',
      'SET ROLE "lead";', 'REVOKE TRUNCATE ON TABLE "public"."b" FROM "app";', 'RESET ROLE;',
    ].join('\n'))
  })

  it('a NOINHERIT path to the owner is a SET ROLE away and still destructive; the fix names each grantor from 16', () => {
    const via = ['app', 'mid', 'owner']
    const src: Source = { kind: 'membership', via, setRoleOnly: true }
    const memberships: Membership[] = [
      { role: 'mid', via: ['app', 'mid'], inherited: true, setRole: true, predefined: false },
      { role: 'owner', via, inherited: false, setRole: true, predefined: false },
    ]
    const t = table('events', Object.fromEntries(POWERS.map((p) => [p, [src]])), 'owner')
    const hops = () => [{ role: 'mid', grantors: ['postgres', 'boss'] }]
    const v15 = buildFindings(report({ tables: [t], memberships }), { hops })
    expect(v15).toHaveLength(1)
    expect(v15[0]).toMatchObject({ code: 'member-of-owner', severity: 'destructive', objects: ['public.events'] })
    expect(v15[0].message).toContain('can SET ROLE to owner (app → mid → owner)')
    expect(statements(v15[0].remediation, 'REVOKE')).toEqual(['REVOKE "mid" FROM "app";'])
    const v16 = buildFindings(report({ tables: [t], memberships, serverVersionNum: 160004 }), { hops })
    expect(statements(v16[0].remediation, 'REVOKE')).toEqual(['REVOKE "mid" FROM "app" GRANTED BY "postgres";', 'REVOKE "mid" FROM "app" GRANTED BY "boss";'])
  })

  it('does not flag what an app needs: DML grants, CONNECT, schema USAGE, sequence USAGE', () => {
    const findings = buildFindings(report({
      tables: [dml('users'), dml('orders')],
      sequences: [sequence('users_id_seq', { usage: [{ kind: 'grant', grantor: 'owner' }], select: [{ kind: 'grant', grantor: 'owner' }] }, 'public.users', 'owner')],
    }))
    expect(findings).toEqual([])
    expect(verdictOf(findings)).toBe('safe')
  })

  it('role attributes: CREATEROLE wording depends on the version; CREATEDB alone is only info', () => {
    const attrs = { ...report().attributes, createrole: true }
    const old = buildFindings(report({ attributes: attrs, serverVersionNum: 150008 }))[0]
    const now = buildFindings(report({ attributes: attrs, serverVersionNum: 160004 }))[0]
    expect(old.message).toContain('any non-superuser role')
    expect(now.message).toContain('roles it has ADMIN on')
    expect(old.remediation).toBe('ALTER ROLE "app" NOCREATEROLE;')
    const info = buildFindings(report({ attributes: { ...report().attributes, createdb: true } }))
    expect(info.map((f) => [f.code, f.severity])).toEqual([['createdb', 'info']])
    expect(verdictOf(info)).toBe('safe')
  })

  it('default privileges: only the risky part is revoked, with IN SCHEMA only for per-schema entries', () => {
    const findings = buildFindings(report({
      defaultPrivileges: [
        { grantor: 'owner', schema: 'public', objectType: 'tables', privileges: ['DELETE', 'INSERT', 'REFERENCES', 'SELECT', 'TRIGGER', 'TRUNCATE', 'UPDATE'], grantee: 'app', dangerous: true },
        { grantor: 'owner', schema: null, objectType: 'sequences', privileges: ['UPDATE', 'USAGE'], grantee: 'PUBLIC', dangerous: true },
        { grantor: 'owner', schema: 'public', objectType: 'tables', privileges: ['SELECT'], grantee: 'reader', dangerous: false },
      ],
    }))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ code: 'default-privileges-dangerous', severity: 'warning', count: 2 })
    expect(findings[0].remediation.split('\n')).toEqual([
      'ALTER DEFAULT PRIVILEGES FOR ROLE "owner" IN SCHEMA "public" REVOKE TRUNCATE ON TABLES FROM "app";',
      'ALTER DEFAULT PRIVILEGES FOR ROLE "owner" REVOKE UPDATE ON SEQUENCES FROM PUBLIC;',
    ])
  })

  it('CREATE on public through PUBLIC before 15 says it is the old default', () => {
    const schemas = [{ ...report().schemas[0], owner: 'postgres', canCreate: true, createViaPublic: true, createSources: [{ kind: 'public', grantor: 'postgres' } as Source] }]
    const [f] = buildFindings(report({ schemas, serverVersionNum: 140010 }))
    expect(f).toMatchObject({ code: 'schema-create', severity: 'warning', objects: ['public'] })
    expect(f.message).toContain('the default before PostgreSQL 15')
    expect(f.remediation).toBe('REVOKE CREATE ON SCHEMA "public" FROM PUBLIC;')
  })

  it('pg_write_all_data is destructive, and its sequence UPDATE is not reported again as a grant', () => {
    const pre: Source = { kind: 'predefined', via: ['app', 'pg_write_all_data'], setRoleOnly: false }
    const findings = buildFindings(report({
      memberships: [{ role: 'pg_write_all_data', via: ['app', 'pg_write_all_data'], inherited: true, setRole: true, predefined: true }],
      tables: [table('users', { insert: [pre], update: [pre], delete: [pre] }, 'owner')],
      sequences: [sequence('s', { reset: [pre] }, null, 'owner')],
    }))
    expect(findings.map((f) => f.code)).toEqual(['write-all-data'])
    expect(findings[0].message).toContain('does not give TRUNCATE or DROP')
    expect(findings[0].remediation).toContain('REVOKE "pg_write_all_data" FROM "app";')
  })
})

describe('seed check gaps', () => {
  it('says in plain words what role_table_grants did not show', () => {
    const r = { ...report({ role: 'crearis_admin', tables: [owned('a'), owned('b'), owned('c')] }), findings: [], remediation: null, verdict: 'unsafe' as const }
    expect(seedCheckGaps(r, [])[0]).toBe('information_schema.role_table_grants shows no TRUNCATE for crearis_admin, but it owns 3 tables and can TRUNCATE and DROP them')
    const shown = ['TRUNCATE', 'DELETE', 'UPDATE', 'INSERT', 'SELECT'].map((p) => ({ grantee: 'crearis_admin', privilege_type: p }))
    expect(seedCheckGaps(r, shown)).toEqual(['information_schema.role_table_grants cannot show DROP at all (PostgreSQL has no DROP privilege), but crearis_admin owns 3 tables and can DROP them'])
  })

  it('has nothing to add for a least-privilege role whose grants the view lists', () => {
    const r = { ...report({ tables: [dml('users')] }), findings: [], remediation: null, verdict: 'safe' as const }
    const shown = ['DELETE', 'UPDATE', 'INSERT', 'SELECT'].map((p) => ({ grantee: 'app', privilege_type: p }))
    expect(seedCheckGaps(r, shown)).toEqual([])
  })
})

describe('remediation SQL with hostile names', () => {
  // A role name is data an attacker may choose; the script is what an admin copies and runs as superuser.
  const EVIL = 'app\nDROP DATABASE shop; -- "\\'
  const OWNER_EVIL = 'own\r\nDROP DATABASE shop;'

  it('quotes a name with a line break as U&"…" on one line, and ordinary names as before', () => {
    expect(q('app')).toBe('"app"')
    expect(q('we"ird')).toBe('"we""ird"')
    expect(q(EVIL)).toBe('U&"app\\000aDROP DATABASE shop; -- ""\\\\"')
    expect(q(EVIL)).not.toContain('\n')
  })

  it('no remediation, comments included, carries a statement hidden in a name', async () => {
    await loadModule()
    const src: Source = { kind: 'membership', via: [EVIL, OWNER_EVIL], setRoleOnly: false }
    const many = Array.from({ length: 25 }, (_, i) => table(`t$body$ ${i}'`, Object.fromEntries(POWERS.map((p) => [p, [OWNER]])), EVIL, `many$body$\n'; DROP DATABASE shop; --`))
    const { findings, remediation } = build(report({
      role: EVIL,
      attributes: { ...report().attributes, superuser: true, createrole: true, createdb: true, bypassrls: true },
      memberships: [
        { role: OWNER_EVIL, via: [EVIL, OWNER_EVIL], inherited: true, setRole: true, predefined: false },
        { role: 'pg_database_owner', via: [EVIL, 'pg_database_owner'], inherited: true, setRole: true, predefined: true },
      ],
      database: { ...report().database, owner: EVIL, ownedByRole: true, canDrop: true },
      schemas: [{ ...report().schemas[0], owner: 'postgres', canCreate: true, createViaPublic: true, createSources: [{ kind: 'public', grantor: 'postgres' } as Source] }],
      tables: [...many, table(`t\n1`, Object.fromEntries(POWERS.map((p) => [p, [OWNER]])), EVIL, `s\nDROP DATABASE shop;`), table('events', Object.fromEntries(POWERS.map((p) => [p, [src]])), OWNER_EVIL)],
      defaultPrivileges: [{ grantor: OWNER_EVIL, schema: 'public', objectType: 'tables', privileges: ['TRUNCATE'], grantee: EVIL, dangerous: true }],
    }), { hops: () => [{ role: OWNER_EVIL, grantors: [`boss\nDROP DATABASE shop;`] }] })
    expect(findings.length).toBeGreaterThan(4)
    expect(remediation!.script).toContain('DO $body1$')
    for (const [code, sql] of [...findings.map((f) => [f.code, f.remediation]), ['script', remediation!.script]]) {
      if (!sql) continue
      const kinds = (parseSync(sql).stmts ?? []).map((s) => Object.keys(s.stmt ?? {})[0])
      expect(kinds, `${code}:\n${sql}`).not.toContain('DropdbStmt')
      for (const line of sql.split('\n')) expect(line, code).not.toMatch(/^\s*DROP DATABASE/)
    }
  })
})
