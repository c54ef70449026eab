// A target as an emergency restore meets it in production: the database and its objects owned by a NOLOGIN
// owner role, an app login with the grants it needs, and a restore login that passes the restore-role check.
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { targetConfigSchema, type TargetConfig } from '~server/config/schema'
import { asSuperuser, cluster } from './db'

export interface RestoreFixture {
  target: TargetConfig
  database: string
  owner: string
  app: string
  appUrl: string
  restoreRole: string
  restoreUrl: string
  dir: string
  /** A login with the given attributes and memberships, dropped with the fixture; its URL is on `database` (default postgres). */
  login: (suffix: string, sql: (role: string) => string, database?: string) => Promise<string>
  query: <T extends pg.QueryResultRow>(sql: string, params?: unknown[], database?: string) => Promise<T[]>
  cleanup: () => Promise<void>
}

export async function createRestoreFixture(rows: number): Promise<RestoreFixture> {
  const c = cluster()
  const P = `er${randomBytes(3).toString('hex')}`
  const [database, owner, app, restoreRole] = [`${P}_db`, `${P}_owner`, `${P}_app`, `${P}_restore`]
  const roles: string[] = []
  const login = async (suffix: string, sql: (role: string) => string, db = 'postgres') => {
    const role = `${P}_${suffix}`
    const password = randomBytes(12).toString('hex')
    roles.push(role)
    await asSuperuser(c.adminUrl, `CREATE ROLE ${role} LOGIN PASSWORD '${password}'; ${sql(role)}`)
    return c.urlFor(db, role, password)
  }
  await asSuperuser(c.adminUrl, `CREATE ROLE ${owner} NOLOGIN`)
  await asSuperuser(c.adminUrl, `CREATE DATABASE ${database} OWNER ${owner}`)
  const appUrl = await login('app', () => '', database)
  const backupUrl = await login('backup', (r) => `GRANT pg_read_all_data TO ${r}`, database)
  // What an admin grants the console's restore login: create databases, act as the owner, end other sessions.
  const restoreUrl = await login('restore', (r) => `ALTER ROLE ${r} CREATEDB; GRANT ${owner} TO ${r}; GRANT pg_signal_backend TO ${r}`)
  await asSuperuser(c.urlFor(database), `
    REVOKE CONNECT, TEMPORARY ON DATABASE ${database} FROM PUBLIC; GRANT CONNECT ON DATABASE ${database} TO ${app}, ${P}_backup;
    ALTER DATABASE ${database} SET search_path = public, billing;
    SET ROLE ${owner};
    CREATE SCHEMA billing;
    CREATE TABLE public.things (id bigserial PRIMARY KEY, name text NOT NULL, note text);
    INSERT INTO public.things (name, note) SELECT 'thing ' || g, repeat('x', g % 50) FROM generate_series(1, ${rows}) g;
    CREATE TABLE billing.invoices (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount numeric NOT NULL, memo text);
    INSERT INTO billing.invoices (amount) SELECT g * 1.5 FROM generate_series(1, 500) g;
    CREATE VIEW public.thing_names AS SELECT id, name FROM public.things;
    CREATE FUNCTION billing.total() RETURNS numeric LANGUAGE sql AS 'SELECT sum(amount) FROM billing.invoices';
    REVOKE EXECUTE ON FUNCTION billing.total() FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION billing.total() TO ${app};
    GRANT USAGE ON SCHEMA billing TO ${app};
    GRANT SELECT, INSERT, UPDATE ON public.things TO ${app};
    GRANT USAGE ON SEQUENCE public.things_id_seq TO ${app};
    GRANT SELECT ON public.thing_names TO ${app};
    GRANT SELECT (id, amount), INSERT (amount) ON billing.invoices TO ${app};
    ALTER DEFAULT PRIVILEGES IN SCHEMA billing GRANT SELECT ON TABLES TO ${app};
    RESET ROLE;`)
  const dir = mkdtempSync(join(tmpdir(), 'dbsafe-restore-'))
  mkdirSync(join(dir, 'backups'))
  mkdirSync(join(dir, 'migrations'))
  const envFile = join(dir, 'app.env')
  writeFileSync(envFile, `DB_HOST=127.0.0.1\nDB_PORT=${c.port}\nDB_NAME=${database}\nDB_USER=${app}\nDB_PASSWORD=${new URL(appUrl).password}\nSKIP_MIGRATIONS=false\n`)
  const target = targetConfigSchema.parse({
    id: 'main', label: 'Main', envFile, migrationsDir: join(dir, 'migrations'), backupsDir: join(dir, 'backups'),
    backupDatabaseUrl: backupUrl, restoreDatabaseUrl: restoreUrl,
  })
  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = [], db = database) => {
    const client = new pg.Client(c.urlFor(db))
    await client.connect()
    try { return (await client.query<T>(sql, params.length ? params : undefined)).rows } finally { await client.end() }
  }
  return {
    target, database, owner, app, appUrl, restoreRole, restoreUrl, dir, login, query,
    cleanup: async () => {
      const dbs = await query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [P], 'postgres')
      for (const { datname } of dbs) await asSuperuser(c.adminUrl, `DROP DATABASE ${pg.escapeIdentifier(datname)} WITH (FORCE)`)
      for (const role of [...roles.reverse(), owner]) await asSuperuser(c.adminUrl, `DROP ROLE IF EXISTS ${role}`)
    },
  }
}
