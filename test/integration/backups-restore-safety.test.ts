import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyBackup } from '~server/backups/verify'
import { targetConfigSchema, type TargetConfig } from '~server/config/schema'
import { asSuperuser, cluster, createConsoleDatabase, createRestoreRole, createTestDatabase, pgDump } from '../support/db'
import { createTargetFixture } from '../support/fixture'

const quiet = { log: () => {}, progress: () => {} }

// A dump is data the app role controls. These are the two ways it escalated when restore tests ran as
// the superuser: code it planted that runs during the restore, and a hand-made plain .sql in the backups dir.
describe('restore tests cannot escalate', () => {
  let fx: Awaited<ReturnType<typeof createTargetFixture>>
  let consoleDb: Awaited<ReturnType<typeof createTestDatabase>>
  let restoreRole: Awaited<ReturnType<typeof createRestoreRole>>
  let target: TargetConfig
  let backupsDir: string
  const extraRoles: string[] = []

  const roleFacts = async (role: string) => {
    const client = new pg.Client(cluster().adminUrl)
    await client.connect()
    try {
      return (await client.query<{ rolsuper: boolean, rolcreaterole: boolean }>('SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = $1', [role])).rows[0]
    } finally {
      await client.end()
    }
  }
  // The server's OS user would create this file if a COPY … TO PROGRAM ever ran.
  const marker = (name: string) => join(fx.dir, `pwned-${name}`)
  const plantedFunction = (name: string) => `
    CREATE FUNCTION public.valid_thing(id int) RETURNS boolean LANGUAGE plpgsql AS $f$
    BEGIN
      BEGIN EXECUTE 'ALTER ROLE ${fx.appRole} SUPERUSER'; EXCEPTION WHEN others THEN NULL; END;
      BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch ${marker(name)}'''; EXCEPTION WHEN others THEN NULL; END;
      RETURN true;
    END $f$;
    CREATE TABLE public.gadgets (id int CHECK (public.valid_thing(id)));
    INSERT INTO public.gadgets SELECT generate_series(1, 5);`

  beforeAll(async () => {
    fx = await createTargetFixture('restore_safety')
    consoleDb = await createConsoleDatabase('restore_safety_console')
    restoreRole = await createRestoreRole()
    // As in the seed's production: the app role may create objects in public.
    await asSuperuser(cluster().urlFor(fx.database), `GRANT CREATE ON SCHEMA public TO ${fx.appRole}`)
    const asApp = new pg.Client(cluster().urlFor(fx.database, fx.appRole, fx.appPassword))
    await asApp.connect()
    await asApp.query(plantedFunction('check'))
    await asApp.end()
    backupsDir = join(fx.dir, 'backups')
    target = targetConfigSchema.parse({ id: 'main', label: 'Main', envFile: fx.envFile, migrationsDir: join(fx.dir, 'migrations'), backupsDir, retentionDays: 7 })
  })
  afterAll(async () => {
    await fx?.drop()
    await consoleDb?.drop()
    await restoreRole?.drop()
    for (const role of extraRoles) await asSuperuser(cluster().adminUrl, `DROP ROLE IF EXISTS ${role}`)
  })

  it('the planted function is a real attack: run by a superuser it makes the app role superuser', async () => {
    const client = new pg.Client(cluster().urlFor(fx.database))
    await client.connect()
    try {
      await client.query('BEGIN')
      await client.query('SELECT public.valid_thing(0)')
      const { rows } = await client.query('SELECT rolsuper FROM pg_roles WHERE rolname = $1', [fx.appRole])
      expect(rows[0].rolsuper).toBe(true)
    } finally {
      await client.query('ROLLBACK')
      await client.end()
    }
    expect((await roleFacts(fx.appRole)).rolsuper).toBe(false)
  })

  it('a custom dump whose CHECK calls the planted function restores as the restore role, and the app role stays as it was', async () => {
    const id = 'db_backup_20261130_010000.dump'
    writeFileSync(join(backupsDir, id), pgDump(fx.database, ['-Fc']))
    const result = await verifyBackup(consoleDb.pool, target, id, { restoreTestUrl: restoreRole.url }, quiet)
    expect(result.ok).toBe(true)
    expect(result.tables.find((t) => t.name === 'gadgets')).toMatchObject({ restoredRows: 5 })
    expect(await roleFacts(fx.appRole)).toEqual({ rolsuper: false, rolcreaterole: false })
    expect(existsSync(marker('check'))).toBe(false)
  })

  it.each([
    ['a role statement split over lines', `ALTER ROLE ${'APP'}\n  SUPERUSER;`, 'split'],
    ['COPY … TO PROGRAM', "COPY (SELECT 1) TO PROGRAM 'touch MARKER';", 'program'],
    ['the planted function inside the file', 'PLANTED', 'planted'],
  ])('a crafted plain .sql in the backups dir (%s) fails its test and changes nothing outside the scratch database', async (_what, statement, name) => {
    const id = `db_backup_20261130_02000${['split', 'program', 'planted'].indexOf(name)}.sql`
    const body = statement.replace('APP', fx.appRole).replace('MARKER', marker(name)).replace('PLANTED', plantedFunction(name))
    writeFileSync(join(backupsDir, id), `--\n-- PostgreSQL database dump\n--\n\nCREATE TABLE public.t (id int);\n${body}\n\n--\n-- PostgreSQL database dump complete\n--\n\n`)
    const result = await verifyBackup(consoleDb.pool, target, id, { restoreTestUrl: restoreRole.url }, quiet)
    if (name !== 'planted') expect(result).toMatchObject({ ok: false, problem: expect.stringMatching(/permission denied|must be superuser|privilege/i) })
    expect(await roleFacts(fx.appRole)).toEqual({ rolsuper: false, rolcreaterole: false })
    expect(existsSync(marker(name))).toBe(false)
  })

  it('refuses a superuser restore role with the reason and the SQL for a safe one, and restores nothing', async () => {
    const id = 'db_backup_20261130_030000.sql'
    writeFileSync(join(backupsDir, id), pgDump(fx.database))
    await expect(verifyBackup(consoleDb.pool, target, id, { restoreTestUrl: cluster().adminUrl }, quiet))
      .rejects.toThrow(/Refusing to restore as "postgres".*is a superuser.*CREATE ROLE dbsafe_restore LOGIN CREATEDB/)
  })

  it.each([
    ['CREATEROLE', (r: string) => `ALTER ROLE ${r} CREATEROLE`, /has CREATEROLE/],
    ['BYPASSRLS', (r: string) => `ALTER ROLE ${r} BYPASSRLS`, /has BYPASSRLS/],
    ['pg_execute_server_program through another role', (r: string) => `CREATE ROLE ${r}_ops NOLOGIN; GRANT pg_execute_server_program TO ${r}_ops; GRANT ${r}_ops TO ${r}`,
      /member of pg_execute_server_program/],
    ['pg_write_server_files', (r: string) => `GRANT pg_write_server_files TO ${r}`, /member of pg_write_server_files/],
    ['a NOINHERIT membership of a superuser role (SET ROLE still reaches it)', (r: string) => `ALTER ROLE ${r} NOINHERIT; CREATE ROLE ${r}_su SUPERUSER NOLOGIN; GRANT ${r}_su TO ${r}`,
      /member of \S+_su \(superuser\)/],
  ])('refuses a restore role with %s', async (_what, grant, reason) => {
    const role = await createRestoreRole()
    extraRoles.push(`${role.role}_ops`, `${role.role}_su`)
    try {
      await asSuperuser(cluster().adminUrl, grant(role.role))
      const id = 'db_backup_20261130_040000.sql'
      writeFileSync(join(backupsDir, id), pgDump(fx.database))
      await expect(verifyBackup(consoleDb.pool, target, id, { restoreTestUrl: role.url }, quiet)).rejects.toThrow(reason)
    } finally {
      await asSuperuser(cluster().adminUrl, `DROP OWNED BY ${role.role}; DROP ROLE ${role.role}`)
    }
  })
})
