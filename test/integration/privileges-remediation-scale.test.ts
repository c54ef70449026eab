import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import type { PrivilegeReport } from '~contract/privileges'
import { analyzePrivileges } from '~server/privileges/analyze'
import { asSuperuser } from '../support/db'
import { applyRemediation, asApp, migrator } from '../support/remediation'
import { roleScope } from '../support/role-scope'

const scope = roleScope('prs', { alsoDrop: (r) => [`${r}_owner`] })
afterAll(scope.cleanup)

const SCHEMAS = 5
const PER_SCHEMA = 1000
const serious = (r: PrivilegeReport) => r.findings.filter((f) => f.severity !== 'info').map((f) => f.code)

// Batches of 250: one transaction over thousands of tables runs out of lock slots.
async function createTables(url: string, schema: string, columns: string, after: (t: string) => string) {
  for (let from = 0; from < PER_SCHEMA; from += 250) {
    const names = Array.from({ length: 250 }, (_, i) => `${schema}.t${from + i}`)
    await asSuperuser(url, names.map((t) => `CREATE TABLE ${t} (${columns}); ${after(t)}`).join('\n'))
  }
}

describe('remediation at catalog scale', () => {
  it('fixes 5,000 tables in 5 schemas with a script whose length follows the schemas, not the tables', { timeout: 240_000 }, async () => {
    const r = scope.names('app', 'grp', 'migrator')
    const pw = randomBytes(12).toString('hex')
    const db = await scope.database('scale')
    await asSuperuser(db.url, `CREATE ROLE ${r.app} LOGIN PASSWORD '${pw}'; CREATE ROLE ${r.grp} NOLOGIN; GRANT ${r.grp} TO ${r.app};
      CREATE SCHEMA owned_serial; CREATE SCHEMA owned_plain; CREATE SCHEMA via_group; CREATE SCHEMA truncatable; CREATE SCHEMA public_writes;
      GRANT USAGE ON SCHEMA via_group, truncatable, public_writes TO ${r.app};
      ALTER SCHEMA owned_serial OWNER TO ${r.app}; ALTER SCHEMA owned_plain OWNER TO ${r.app};`)
    // The app owns two schemas of tables (one with serial ids), inherits a group owning a third,
    // may TRUNCATE a fourth, and PUBLIC may write the fifth.
    await createTables(db.url, 'owned_serial', 'id serial PRIMARY KEY, v int', (t) => `ALTER TABLE ${t} OWNER TO ${r.app};`)
    await createTables(db.url, 'owned_plain', 'id int, v int', (t) => `ALTER TABLE ${t} OWNER TO ${r.app};`)
    await createTables(db.url, 'via_group', 'id int, v int', (t) => `ALTER TABLE ${t} OWNER TO ${r.grp};`)
    await createTables(db.url, 'truncatable', 'id int, v int', (t) => `GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ${t} TO ${r.app};`)
    await createTables(db.url, 'public_writes', 'id int, v int', (t) => `GRANT SELECT ON ${t} TO ${r.app}; GRANT INSERT, DELETE ON ${t} TO PUBLIC;`)

    const before = await analyzePrivileges(db.pool, r.app)
    expect(serious(before)).toEqual(expect.arrayContaining(['owns-tables', 'owns-schema-with-tables', 'truncate-grant', 'public-write']))
    const script = before.remediation!.script
    const lines = script.split('\n').length
    // A loop per schema and finding (about 20 lines each) plus the fixed steps: never a line per table.
    expect(lines).toBeLessThan(SCHEMAS * 3 * 20 + 80)

    applyRemediation(db.url, before)
    const after = await analyzePrivileges(db.pool, r.app)
    expect(serious(after)).toEqual([])
    expect(after.verdict).toBe('safe')
    expect(after.tables.filter((t) => t.canDrop || t.canTruncate)).toEqual([])

    await asApp(db.name, r.app, pw, async (c) => {
      for (const schema of ['owned_serial', 'owned_plain', 'via_group', 'truncatable', 'public_writes']) {
        const t = `${schema}.t${PER_SCHEMA - 1}`
        await c.query(schema === 'owned_serial' ? `INSERT INTO ${t} (v) VALUES (1)` : `INSERT INTO ${t} (id, v) VALUES (1, 1)`)
        if (schema !== 'public_writes') await c.query(`UPDATE ${t} SET v = 2`)
        expect((await c.query(`SELECT count(*)::int AS n FROM ${t}`)).rows).toEqual([{ n: 1 }])
        await c.query(`DELETE FROM ${t}`)
        await expect(c.query(`TRUNCATE ${t}`)).rejects.toThrow(/permission denied/)
        await expect(c.query(`DROP TABLE ${t}`)).rejects.toThrow(/must be owner/)
      }
    })
    // Migrations run as the new owner role still change the moved tables.
    const mpw = randomBytes(12).toString('hex')
    await migrator(db.url, `${r.app}_owner`, r.migrator, mpw)
    await asApp(db.name, r.migrator, mpw, (c) => c.query('ALTER TABLE owned_serial.t0 ADD COLUMN note text; CREATE TABLE owned_plain.added (id int)').then(() => {}))
    await asApp(db.name, r.app, pw, (c) => c.query("INSERT INTO owned_serial.t0 (v, note) VALUES (1, 'x'); INSERT INTO owned_plain.added VALUES (1)").then(() => {}))
  })
})
