import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedCheckMisses } from '~server/privileges/seed-check'
import { asSuperuser } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'

describe('GET /api/targets/:target/privileges and the overview verdict', () => {
  let c: ConsoleFixture
  let admin: string
  let viewer: string
  let url: string
  beforeAll(async () => {
    c = await startConsoleFixture()
    admin = await c.login('admin', c.adminPassword)
    await c.request('/api/users', { method: 'POST', cookie: admin, body: { username: 'vic', password: 'viewer-password', role: 'viewer' } })
    viewer = await c.login('vic', 'viewer-password')
    const t = c.targets[0]
    url = (await import('../support/db')).cluster().urlFor(t.database)
    // The app role owns one table, as when the app created it itself.
    await asSuperuser(url, `CREATE TABLE owned_by_app (id int); ALTER TABLE owned_by_app OWNER TO ${t.appRole}`)
  })
  afterAll(async () => {
    await asSuperuser(url, 'DROP TABLE IF EXISTS owned_by_app')
    await c?.cleanup()
  })

  it('reviews the app role from the env file by default: unsafe, with the owned table and the seed check gap', async () => {
    const res = await c.request('/api/targets/main/privileges', { cookie: viewer })
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body.role).toBe(c.targets[0].appRole)
    expect(body.verdict).toBe('unsafe')
    expect(body.tables).toBeUndefined()
    const objects = (await json(await c.request('/api/targets/main/privileges/objects', { cookie: viewer }))).objects
    const owned = objects.find((t: any) => t.name === 'owned_by_app')
    expect(owned).toMatchObject({ ownedByRole: true, powers: { drop: true, truncate: true } })
    expect(objects.find((t: any) => t.name === 'things')).toMatchObject({ powers: { drop: false, truncate: false, delete: true } })
    expect(body.findings[0].remediation).toContain('OWNER TO')
    expect(body.seedCheck.join(' ')).toContain('role_table_grants')
    // The page reads the seed's rows off the report; running the seed's real query must say the same.
    const pool = new pg.Pool({ connectionString: url, max: 2 })
    expect(body.seedCheck).toEqual(await seedCheckMisses(pool, c.targets[0].appRole))
    await pool.end()
  })

  it('reads the seed check off the report exactly as the seed query sees it, for grants, PUBLIC and group ownership', async () => {
    const role = `seedgap_${c.targets[0].database.slice(-8)}`
    await asSuperuser(url, `CREATE ROLE ${role}; CREATE ROLE ${role}_grp; GRANT ${role}_grp TO ${role};
      GRANT DELETE, TRUNCATE ON things TO ${role}; CREATE TABLE grp_owned (id int); ALTER TABLE grp_owned OWNER TO ${role}_grp;
      CREATE TABLE mine (id int); ALTER TABLE mine OWNER TO ${role}; GRANT SELECT ON mine TO PUBLIC; GRANT UPDATE ON grp_owned TO PUBLIC`)
    try {
      const body = await json(await c.request(`/api/targets/main/privileges?role=${role}`, { cookie: admin }))
      const pool = new pg.Pool({ connectionString: url, max: 2 })
      expect(body.seedCheck).toEqual(await seedCheckMisses(pool, role))
      await pool.end()
      expect(body.seedCheck.length).toBeGreaterThan(0)
    } finally {
      await asSuperuser(url, `DROP TABLE grp_owned, mine; REVOKE ALL ON things FROM ${role}; DROP ROLE ${role}; DROP ROLE ${role}_grp`)
    }
  })

  it('shows the verdict and top finding on the overview', async () => {
    const body = await json(await c.request('/api/targets/main/overview', { cookie: viewer }))
    const full = await json(await c.request('/api/targets/main/privileges', { cookie: viewer }))
    expect(body.privileges).toMatchObject({ role: c.targets[0].appRole, verdict: 'unsafe', topFinding: full.findings[0].message })
    expect(body.privileges.topFinding).toMatch(/owns 1 table/)
    expect(body.migrations).toMatchObject({ total: 0, pending: 0 })
    expect(body.backups).toMatchObject({ count: 0, newest: null, newestVerifiedAt: null })
  })

  it('lets operators review another role, refuses viewers, 404s an unknown role', async () => {
    expect((await c.request('/api/targets/main/privileges?role=postgres', { cookie: viewer })).status).toBe(403)
    const su = await json(await c.request('/api/targets/main/privileges?role=postgres', { cookie: admin }))
    expect(su).toMatchObject({ role: 'postgres', verdict: 'unsafe', attributes: { superuser: true } })
    const unknown = await c.request('/api/targets/main/privileges?role=nobody_here', { cookie: admin })
    expect(unknown.status).toBe(404)
    expect((await json(unknown)).message).toContain('nobody_here')
  })
})
