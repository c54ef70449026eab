import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import type { PrivilegeReport } from '~contract/privileges'
import { analyzePrivileges } from '~server/privileges/analyze'
import { privilegeReview } from '~server/privileges/review'
import { seedCheckMisses } from '~server/privileges/seed-check'
import { asSuperuser, cluster } from '../support/db'
import { applyRemediation, asApp, migrator } from '../support/remediation'
import { roleScope } from '../support/role-scope'

// The remediation may create "<role>_owner": clean that up too.
const scope = roleScope('pr', { alsoDrop: (r) => [`${r}_owner`] })
const names = scope.names
const database = (label: string) => scope.database(label)

afterAll(scope.cleanup)

const serious = (r: PrivilegeReport) => r.findings.filter((f) => f.severity !== 'info').map((f) => f.code)

describe('privileges remediation', () => {
  it('fixes an app role that owns everything, and the app keeps reading and writing its tables', async () => {
    const r = names('app', 'other', 'migrator')
    const pw = randomBytes(12).toString('hex')
    const db = await database('fix_owner')
    await asSuperuser(db.url, `CREATE ROLE ${r.app} LOGIN PASSWORD '${pw}'; CREATE ROLE ${r.other} NOLOGIN;
      ALTER DATABASE ${db.name} OWNER TO ${r.app};
      GRANT CREATE ON SCHEMA public TO PUBLIC;
      CREATE TABLE users (id serial PRIMARY KEY, name text);
      CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id int, total numeric);
      ALTER TABLE users OWNER TO ${r.app}; ALTER TABLE orders OWNER TO ${r.app};
      CREATE TABLE audit (id int, note text); ALTER TABLE audit OWNER TO ${r.other};
      SET ROLE ${r.other}; GRANT SELECT, TRUNCATE ON audit TO ${r.app}; RESET ROLE;
      ALTER DEFAULT PRIVILEGES FOR ROLE ${r.other} IN SCHEMA public GRANT ALL ON TABLES TO ${r.app};`)

    const before = await analyzePrivileges(db.pool, r.app)
    expect(before.verdict).toBe('unsafe')
    expect(serious(before)).toEqual(expect.arrayContaining(['owns-database', 'owns-tables', 'truncate-grant', 'default-privileges-dangerous', 'schema-create']))
    const script = before.remediation!.script
    expect(script).not.toMatch(/REVOKE\s+DROP/i)
    expect(script.match(/^CREATE ROLE .*$/gm)).toEqual([`CREATE ROLE "${r.app}_owner" NOLOGIN;`])
    // One script, its steps in the order they must run.
    expect(script.match(/^-- \d\. .*$/gm)).toEqual([
      `-- 1. Create the owner role "${r.app}_owner"`, `-- 2. Move ownership to "${r.app}_owner"`,
      `-- 3. Give "${r.app}" what the app keeps`, `-- 4. Take away what "${r.app}" should not have`,
    ])
    expect(before.remediation!.deploys.join(' ')).toContain('migrationDatabaseUrl')

    applyRemediation(db.url, before)
    const after = await analyzePrivileges(db.pool, r.app)
    expect(serious(after)).toEqual([])
    expect(after.verdict).toBe('safe')
    expect(after.database).toMatchObject({ owner: `${r.app}_owner`, canDrop: false, canConnect: true })
    expect(after.tables.find((t) => t.name === 'users')).toMatchObject({ owner: `${r.app}_owner`, canDrop: false, canTruncate: false, canDelete: true })

    await asApp(db.name, r.app, pw, async (c) => {
      await c.query("INSERT INTO users (name) VALUES ('ada')")
      await c.query('INSERT INTO orders (user_id, total) VALUES (1, 9.5)')
      await c.query("UPDATE users SET name = 'ada l.'")
      expect((await c.query('SELECT name FROM users')).rows).toEqual([{ name: 'ada l.' }])
      await c.query('DELETE FROM orders')
      await c.query('SELECT * FROM audit')
      await expect(c.query('TRUNCATE audit')).rejects.toThrow(/permission denied/)
      await expect(c.query('DROP TABLE users')).rejects.toThrow(/must be owner/)
      await expect(c.query('CREATE TABLE squat (id int)')).rejects.toThrow(/permission denied/)
    })
    // A migration run as the owner role (through its own login, as the deploy note says) still works, and the
    // tables it creates are usable by the app and not TRUNCATE-able by it.
    const mpw = randomBytes(12).toString('hex')
    await migrator(db.url, `${r.app}_owner`, r.migrator, mpw)
    await asApp(db.name, r.migrator, mpw, async (c) => {
      await c.query('ALTER TABLE users ADD COLUMN email text')
      await c.query('CREATE TABLE later (id serial PRIMARY KEY, note text)')
    })
    const { rows } = await db.pool.query(`SELECT has_table_privilege($1, 'later', 'INSERT') AS i, has_table_privilege($1, 'later', 'TRUNCATE') AS t,
      has_sequence_privilege($1, 'later_id_seq', 'USAGE') AS u, pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'later'`, [r.app])
    expect(rows[0]).toEqual({ i: true, t: false, u: true, owner: `${r.app}_owner` })
    await asApp(db.name, r.app, pw, async (c) => {
      await c.query("INSERT INTO later (note) VALUES ('x')")
      await c.query("UPDATE users SET email = 'ada@example.org'")
      await expect(c.query('DROP TABLE later')).rejects.toThrow(/must be owner/)
    })
  })

  it('fixes memberships, PUBLIC writes, sequence UPDATE, schema CREATE and role attributes', async () => {
    const r = names('app', 'owner', 'mid', 'admin')
    const pw = randomBytes(12).toString('hex')
    const db = await database('fix_members')
    await asSuperuser(db.url, `REVOKE CREATE ON SCHEMA public FROM PUBLIC;
      CREATE ROLE ${r.owner} NOLOGIN; CREATE ROLE ${r.admin} NOLOGIN; CREATE ROLE ${r.mid} NOLOGIN NOINHERIT;
      CREATE ROLE ${r.app} LOGIN INHERIT CREATEROLE BYPASSRLS PASSWORD '${pw}';
      GRANT ${r.owner} TO ${r.app}; GRANT ${r.admin} TO ${r.mid}; GRANT ${r.mid} TO ${r.app};
      CREATE TABLE posts (id serial PRIMARY KEY, body text); ALTER TABLE posts OWNER TO ${r.owner};
      CREATE TABLE settings (k text); ALTER TABLE settings OWNER TO ${r.admin};
      CREATE TABLE hits (n int); GRANT SELECT, DELETE ON hits TO PUBLIC;
      CREATE SEQUENCE counter; ALTER SEQUENCE counter OWNER TO ${r.admin}; GRANT UPDATE ON SEQUENCE counter TO ${r.app};
      CREATE SCHEMA scratch; GRANT USAGE, CREATE ON SCHEMA scratch TO ${r.app};`)

    const before = await analyzePrivileges(db.pool, r.app)
    expect(serious(before)).toEqual(expect.arrayContaining(['owns-tables', 'member-of-owner', 'public-write', 'sequence-reset', 'schema-create', 'createrole', 'bypassrls']))

    applyRemediation(db.url, before)
    const after = await analyzePrivileges(db.pool, r.app)
    expect(serious(after)).toEqual([])
    expect(after.verdict).toBe('safe')
    expect(after.memberships).toEqual([])

    await asApp(db.name, r.app, pw, async (c) => {
      await c.query("INSERT INTO posts (body) VALUES ('hello')")
      await c.query("UPDATE posts SET body = 'hi'")
      await c.query('DELETE FROM posts')
      await c.query('DELETE FROM hits')
      await c.query("SELECT nextval('counter')")
      await expect(c.query("SELECT setval('counter', 1)")).rejects.toThrow(/permission denied/)
      await expect(c.query('DROP TABLE posts')).rejects.toThrow(/must be owner/)
      await expect(c.query(`SET ROLE ${r.admin}`)).rejects.toThrow(/permission denied/)
    })
  })
})

describe('an owner role', () => {
  it('is judged as the owner role: no "unsafe", no "<owner>_owner", and the logins that can act as it are named', async () => {
    const r = names('owner', 'app', 'ops')
    const db = await database('owner_role')
    await asSuperuser(db.url, `CREATE ROLE ${r.owner} NOLOGIN; CREATE ROLE ${r.app} LOGIN; CREATE ROLE ${r.ops} LOGIN; GRANT ${r.owner} TO ${r.ops};
      ALTER DATABASE ${db.name} OWNER TO ${r.owner}; GRANT CREATE, USAGE ON SCHEMA public TO ${r.owner};
      SET ROLE ${r.owner}; CREATE TABLE users (id serial PRIMARY KEY, name text); CREATE TABLE posts (id int); RESET ROLE;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r.app};`)

    const owner = (await privilegeReview(db.pool, r.owner))!
    expect(owner.verdict).toBe('safe')
    expect(owner.findings.map((f) => [f.code, f.severity])).toEqual([['owner-role', 'info']])
    const [f] = owner.findings
    expect(f.message).toContain(`${r.owner} owns the database ${db.name}`)
    expect(f.message).toContain('cannot log in: it is an owner role')
    expect(f.message).toContain(`Logins that can act as it: ${r.ops} (inherits its powers`)
    expect(owner.remediation).toBeNull()
    expect(JSON.stringify(owner)).not.toContain(`${r.owner}_owner`)

    // The login that inherits it is where the danger is, and its own review says so; the app's grants are fine.
    const ops = (await privilegeReview(db.pool, r.ops))!
    expect(ops.verdict).toBe('unsafe')
    expect(ops.findings.map((x) => x.code)).toContain('owns-tables')
    expect(ops.remediation!.script).toContain(`REVOKE "${r.owner}" FROM "${r.ops}";`)
    expect((await privilegeReview(db.pool, r.app))!.verdict).toBe('safe')
  })
})

describe('the seed check', () => {
  it('says what information_schema.role_table_grants hides: ownership through a group role', async () => {
    const r = names('admin', 'owner')
    const db = await database('seed')
    await asSuperuser(db.url, `CREATE ROLE ${r.owner} NOLOGIN; CREATE ROLE ${r.admin} LOGIN; GRANT ${r.owner} TO ${r.admin};
      CREATE TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE c (id int);
      ALTER TABLE a OWNER TO ${r.owner}; ALTER TABLE b OWNER TO ${r.owner}; ALTER TABLE c OWNER TO ${r.owner};`)
    const seed = await db.pool.query('SELECT grantee, privilege_type FROM information_schema.role_table_grants WHERE grantee = $1', [r.admin])
    expect(seed.rows).toEqual([])
    const misses = await seedCheckMisses(db.pool, r.admin)
    expect(misses).toContain(`information_schema.role_table_grants shows no TRUNCATE for ${r.admin}, but it owns 3 tables through its membership in ${r.owner} and can TRUNCATE and DROP them`)
    expect(misses.some((m) => m.startsWith(`information_schema.role_table_grants shows no DELETE for ${r.admin}`))).toBe(true)
  })

  it('works connected as the role itself, with the same answer as a superuser gets', async () => {
    const r = names('app', 'owner')
    const pw = randomBytes(12).toString('hex')
    const db = await database('self')
    await asSuperuser(db.url, `CREATE ROLE ${r.owner} NOLOGIN; CREATE ROLE ${r.app} LOGIN NOINHERIT PASSWORD '${pw}'; GRANT ${r.owner} TO ${r.app};
      CREATE TABLE mine (id serial); ALTER TABLE mine OWNER TO ${r.app};
      CREATE TABLE theirs (id int); ALTER TABLE theirs OWNER TO ${r.owner}; GRANT DELETE ON theirs TO PUBLIC;
      CREATE TABLE hidden (id int);`)
    const asSelf = new pg.Pool({ connectionString: cluster().urlFor(db.name, r.app, pw), max: 4 })
    try {
      const self = await analyzePrivileges(asSelf, r.app)
      const superuser = await analyzePrivileges(db.pool, r.app)
      expect(self).toEqual(superuser)
      expect(self.tables.map((t) => t.name)).toEqual(['mine', 'theirs'])
      expect(self.tables[1].sources.drop).toEqual([{ kind: 'membership', via: [r.app, r.owner], setRoleOnly: true }])
    } finally { await asSelf.end() }
  })
})
