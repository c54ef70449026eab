import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { q } from '~server/privileges/remediation'
import { asSuperuser, cluster, queryRows } from '../support/db'

// The U&"…" form q() writes for names with line breaks must name the very same role on a real server.
describe('quoting names for remediation scripts', () => {
  const name = `app_${randomBytes(3).toString('hex')}\nDROP DATABASE postgres; -- "\\`
  afterAll(() => asSuperuser(cluster().adminUrl, `DROP ROLE IF EXISTS ${q(name)}`))

  it('a role whose name holds a line break is created, altered and found under its exact name', async () => {
    await asSuperuser(cluster().adminUrl, `CREATE ROLE ${q(name)} NOLOGIN;\nALTER ROLE ${q(name)} CREATEDB;\n-- ${q(name)} is a comment, not a statement`)
    const rows = await queryRows(cluster().adminUrl, 'SELECT rolname, rolcreatedb FROM pg_roles WHERE rolname = $1', [name])
    expect(rows).toEqual([{ rolname: name, rolcreatedb: true }])
    expect(await queryRows(cluster().adminUrl, "SELECT 1 FROM pg_database WHERE datname = 'postgres'")).toHaveLength(1)
  })
})
