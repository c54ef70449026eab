// Issue 16: the privileges page at catalog scale. The summary's counts, the matrix's pages, one object's
// chain and the export, each checked against what the catalog itself says (has_table_privilege,
// pg_has_role), never against the code's own output; concurrent viewers are served one analysis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asSuperuser, cluster, queryRows } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'

const TABLES = 700

describe('privileges summary, pages, chain and export on a catalog of 700 tables', () => {
  let c: ConsoleFixture
  let admin: string
  let url: string
  let app: string
  const team = () => `${app}_team`
  const get = async (path: string) => {
    const res = await c.request(`/api/targets/main/privileges${path}`, { cookie: admin })
    expect(res.status, `${path}: ${res.status}`).toBe(200)
    return json(res)
  }
  // The catalog's own answer per schema, from PostgreSQL's privilege functions.
  const catalogCounts = () => queryRows(url, `
    SELECT n.nspname AS schema, count(*)::int AS objects,
      count(*) FILTER (WHERE pg_has_role($1, c.relowner, 'MEMBER'))::int AS "canDrop",
      count(*) FILTER (WHERE has_table_privilege($1, c.oid, 'TRUNCATE'))::int AS "canTruncate",
      count(*) FILTER (WHERE has_table_privilege($1, c.oid, 'DELETE'))::int AS "canDelete"
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname LIKE 'scale\\_%'
      AND (pg_has_role($1, c.relowner, 'MEMBER') OR has_table_privilege($1, c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'))
    GROUP BY 1 ORDER BY 1`, [app])

  beforeAll(async () => {
    c = await startConsoleFixture()
    admin = await c.login('admin', c.adminPassword)
    app = c.targets[0].appRole
    url = cluster().urlFor(c.targets[0].database)
    // Every 7th table owned by a role the app role inherits, every 3rd with DML grants, in 3 schemas.
    await asSuperuser(url, `CREATE ROLE ${team()} NOLOGIN; GRANT ${team()} TO ${app};
      CREATE SCHEMA scale_a; CREATE SCHEMA scale_b; CREATE SCHEMA scale_c;
      DO $$ BEGIN FOR i IN 1..${TABLES} LOOP
        EXECUTE format('CREATE TABLE scale_%s.t%s (id int)', chr(97 + i % 3), i);
        IF i % 7 = 0 THEN EXECUTE format('ALTER TABLE scale_%s.t%s OWNER TO ${team()}', chr(97 + i % 3), i); END IF;
        IF i % 3 = 0 THEN EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON scale_%s.t%s TO ${app}', chr(97 + i % 3), i); END IF;
      END LOOP; END $$`)
  }, 120_000)
  afterAll(async () => {
    await asSuperuser(url, `DROP SCHEMA scale_a, scale_b, scale_c CASCADE; DROP ROLE ${team()}`).catch(() => {})
    await c?.cleanup()
  })

  it('answers a summary without the objects, whose per-schema counts are the catalog\'s', async () => {
    const res = await c.request('/api/targets/main/privileges', { cookie: admin })
    const text = await res.text()
    const body = JSON.parse(text)
    expect(body.verdict).toBe('unsafe')
    expect(body.tables).toBeUndefined()
    expect(text).not.toContain('"t699"')
    const expected = await catalogCounts()
    const got = body.counts.filter((s: any) => s.schema.startsWith('scale_'))
      .map(({ schema, objects, canDrop, canTruncate, canDelete }: any) => ({ schema, objects, canDrop, canTruncate, canDelete }))
    expect(got).toEqual(expected)
    expect(expected.reduce((n: number, s: any) => n + s.canDrop, 0)).toBe(100)
    const owns = body.findings.find((f: any) => f.code === 'owns-tables')
    expect(owns.count).toBe(100)
    expect(owns.objects.length).toBeLessThan(owns.count)
    expect(res.headers.get('x-computed-at')).toBe(body.computedAt)
  })

  it('pages, filters and sorts the matrix on the server, with the total over every page', async () => {
    const [{ n }] = await queryRows(url, `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
      WHERE ns.nspname = 'scale_b' AND pg_has_role($1, c.relowner, 'MEMBER')`, [app])
    const first = await get('/objects?schema=scale_b&power=drop&limit=10')
    const second = await get('/objects?schema=scale_b&power=drop&limit=10&offset=10')
    expect(first.total).toBe(n)
    expect(second.total).toBe(n)
    expect(first.objects).toHaveLength(10)
    const names = [...first.objects, ...second.objects].map((o: any) => o.name)
    expect(new Set(names).size).toBe(20)
    expect(names).toEqual([...names].sort())
    expect(first.objects.every((o: any) => o.schema === 'scale_b' && o.powers.drop && o.owner === team())).toBe(true)

    const search = await get('/objects?search=SCALE_C.T14')
    const [{ m }] = await queryRows(url, `SELECT count(*)::int AS m FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
      WHERE ns.nspname = 'scale_c' AND c.relname LIKE 't14%' AND (pg_has_role($1, c.relowner, 'MEMBER') OR has_table_privilege($1, c.oid, 'SELECT'))`, [app])
    expect(search.total).toBe(m)
    expect(search.objects.every((o: any) => o.schema === 'scale_c' && o.name.startsWith('t14'))).toBe(true)

    const byOwner = await get('/objects?sort=owner&order=desc&limit=500')
    const owners = byOwner.objects.map((o: any) => o.owner)
    expect(owners).toEqual([...owners].sort().reverse())
    const viaMembership = await get('/objects?source=membership&limit=1')
    expect(viaMembership.total).toBe(100)

    const bad = await c.request('/api/targets/main/privileges/objects?limit=5000&power=explode', { cookie: admin })
    expect(bad.status).toBe(400)
    const message = (await json(bad)).message
    expect(message).toContain('limit')
    expect(message).toContain('power')
  })

  it('gives one object\'s chain for the drawer, and 404 for an object the role cannot touch', async () => {
    const chain = await get('/chain?kind=table&schema=scale_a&name=t21')
    expect(chain).toMatchObject({ schema: 'scale_a', name: 't21', owner: team(), powers: { drop: true, delete: true } })
    expect(chain.sources.drop).toEqual([{ kind: 'membership', via: [app, team()], setRoleOnly: false }])
    expect(chain.sources.delete.map((s: any) => s.kind)).toEqual(expect.arrayContaining(['membership', 'grant']))
    const none = await c.request('/api/targets/main/privileges/chain?kind=table&schema=scale_b&name=t1', { cookie: admin })
    expect(none.status).toBe(404)
  })

  it('streams the export: as many CSV rows and JSON objects as the catalog has objects for the role', async () => {
    const [{ n }] = await queryRows(url, `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
      WHERE ns.nspname NOT IN ('pg_catalog', 'information_schema') AND ns.nspname NOT LIKE 'pg\\_toast%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
        AND (pg_has_role($1, c.relowner, 'MEMBER') OR CASE WHEN c.relkind = 'S' THEN has_sequence_privilege($1, c.oid, 'SELECT, USAGE, UPDATE')
          ELSE has_table_privilege($1, c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE') END)`, [app])
    const csv = await c.request('/api/targets/main/privileges/export?format=csv', { cookie: admin })
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(csv.headers.get('content-disposition')).toContain('attachment')
    expect(csv.headers.get('content-length')).toBeNull()
    const lines = (await csv.text()).trim().split('\n')
    expect(lines[0]).toMatch(/^schema,name,kind,owner,owned_by_role,drop,/)
    expect(lines).toHaveLength(n + 1)
    const all = await json(await c.request('/api/targets/main/privileges/export?format=json', { cookie: admin }))
    expect(all).toHaveLength(n)
    expect(all.find((o: any) => o.name === 't21').sources.drop[0].kind).toBe('membership')
    const filtered = await json(await c.request('/api/targets/main/privileges/export?format=json&schema=scale_a&power=drop', { cookie: admin }))
    expect(filtered.every((o: any) => o.schema === 'scale_a' && o.powers.drop)).toBe(true)
  })

  it('serves concurrent viewers of the summary, pages and chains from one analysis', async () => {
    await new Promise((r) => setTimeout(r, 5200))
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, () => c.request('/api/targets/main/privileges', { cookie: admin })),
      ...Array.from({ length: 6 }, (_, i) => c.request(`/api/targets/main/privileges/objects?offset=${i * 50}&limit=50`, { cookie: admin })),
      c.request('/api/targets/main/privileges/chain?kind=table&schema=scale_a&name=t21', { cookie: admin }),
    ])
    expect(answers.every((r) => r.status === 200)).toBe(true)
    const times = new Set(answers.map((r) => r.headers.get('x-computed-at')))
    expect(times.size).toBe(1)
  })
})
