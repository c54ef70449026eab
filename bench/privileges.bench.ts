// Times GET /api/targets/:target/privileges on the built console (npm run build first) and
// analyzePrivileges itself, on 10,000 tables and 50 roles, against one psql run of the bare
// has_table_privilege scan. Run: npx tsx bench/privileges.bench.ts
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { startCluster } from '~scripts/pg-cluster'
import { analyzePrivileges } from '~server/privileges/analyze'
import { startConsoleProcess, writeConfig } from '../test/support/console'

const TABLES = 10_000
const ROLES = 50
const RUNS = 7
const DB = 'bench_privileges'
const APP = 'bench_app'

// 50 roles: group roles that own tables, an INHERIT and a NOINHERIT path into them, the app role.
const SETUP = `
DO $$
BEGIN
  FOR i IN 1..${ROLES - 2} LOOP EXECUTE format('CREATE ROLE bench_r%s NOLOGIN', i); END LOOP;
  CREATE ROLE bench_mid NOLOGIN NOINHERIT;
  CREATE ROLE ${APP} LOGIN;
  GRANT bench_r1 TO ${APP}; GRANT bench_r2 TO bench_mid; GRANT bench_mid TO ${APP}; GRANT bench_r3 TO bench_r1;
  FOR s IN 0..9 LOOP
    EXECUTE format('CREATE SCHEMA s%s', s);
    EXECUTE format('GRANT USAGE ON SCHEMA s%s TO PUBLIC', s);
  END LOOP;
END $$;
ALTER DEFAULT PRIVILEGES FOR ROLE bench_r4 IN SCHEMA s1 GRANT SELECT, TRUNCATE ON TABLES TO ${APP};`

// One transaction per 1,000 tables: a single one would run out of lock table slots.
const tablesSql = (from: number, to: number) => `
DO $$
DECLARE t text; owner text;
BEGIN
  FOR i IN ${from}..${to} LOOP
    t := format('s%s.t%s', i % 10, i);
    IF i % 10 = 0 THEN EXECUTE format('CREATE TABLE %s (id serial PRIMARY KEY, v text)', t);
    ELSE EXECUTE format('CREATE TABLE %s (id int, v text)', t); END IF;
    owner := CASE WHEN i % 33 = 0 THEN '${APP}' ELSE format('bench_r%s', i % ${ROLES - 2} + 1) END;
    EXECUTE format('ALTER TABLE %s OWNER TO %I', t, owner);
    IF i % 3 = 0 THEN EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO ${APP}', t); END IF;
    IF i % 7 = 0 THEN EXECUTE format('GRANT SELECT ON %s TO bench_r5, PUBLIC', t); END IF;
    IF i % 500 = 0 THEN EXECUTE format('GRANT TRUNCATE ON %s TO ${APP}', t); END IF;
  END LOOP;
END $$;`

// The single query psql runs: the same has_table_privilege / pg_has_role scan, without sources or findings.
// The role is resolved to its oid once, as analyzePrivileges does, so neither pays a name lookup per call.
const SCAN = `WITH me AS (SELECT oid FROM pg_roles WHERE rolname = '${APP}')
SELECT c.oid::regclass,
  has_table_privilege(me.oid, c.oid, 'SELECT'), has_table_privilege(me.oid, c.oid, 'INSERT'),
  has_table_privilege(me.oid, c.oid, 'UPDATE'), has_table_privilege(me.oid, c.oid, 'DELETE'),
  has_table_privilege(me.oid, c.oid, 'TRUNCATE'), pg_has_role(me.oid, c.relowner, 'MEMBER')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN me
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`

async function median(fn: () => Promise<void> | void): Promise<number> {
  await fn()
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

const cluster = await startCluster()
try {
  const admin = new pg.Client(cluster.adminUrl)
  await admin.connect()
  await admin.query(`CREATE DATABASE ${DB}`)
  await admin.end()
  const url = new URL(cluster.urlFor(DB))
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 })
  const setupStart = performance.now()
  await pool.query(SETUP)
  for (let i = 1; i <= TABLES; i += 1000) await pool.query(tablesSql(i, Math.min(i + 999, TABLES)))
  await pool.query('ANALYZE')
  console.log(`setup: ${TABLES} tables, ${ROLES} roles in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`)

  let report = await analyzePrivileges(pool, APP)
  const analyse = await median(async () => { report = await analyzePrivileges(pool, APP) })
  const psql = await median(() => {
    const res = spawnSync(join(cluster.binDir, 'psql'),
      ['-X', '-q', '-A', '-t', '-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username), '-d', DB, '-c', SCAN],
      { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    if (res.status !== 0) throw new Error(`psql failed: ${res.stderr}`)
  })
  await pool.end()

  // Through HTTP as a person's browser asks: session, catalog queries, findings, JSON of every row.
  const consoleAdmin = new pg.Client(cluster.adminUrl)
  await consoleAdmin.connect()
  await consoleAdmin.query('CREATE DATABASE bench_console')
  await consoleAdmin.end()
  const config = writeConfig({ targets: [{ id: 'bench', label: 'Bench', envFile: '/nonexistent/.env', databaseUrl: url.toString(), appRole: APP, migrationsDir: '/tmp', backupsDir: '/tmp' }] })
  const web = await startConsoleProcess({ DBSAFE_CONFIG: config, DBSAFE_DATABASE_URL: cluster.urlFor('bench_console'), DBSAFE_ADMIN_PASSWORD: 'bench-admin-password' })
  let api = 0
  let bytes = 0
  try {
    const login = await fetch(`${web.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }) })
    const cookie = login.headers.getSetCookie()[0].split(';')[0]
    api = await median(async () => {
      const res = await fetch(`${web.url}/api/targets/bench/privileges`, { headers: { cookie } })
      if (!res.ok) throw new Error(`API answered ${res.status}`)
      bytes = (await res.arrayBuffer()).byteLength
    })
  } finally {
    await web.stop()
  }

  console.log(`report: ${report.tables.length} tables, ${report.sequences.length} sequences, ${report.findings.length} findings, verdict ${report.verdict}`)
  console.log(`analyzePrivileges median of ${RUNS}: ${analyse.toFixed(1)} ms`)
  console.log(`psql has_table_privilege scan median of ${RUNS}: ${psql.toFixed(1)} ms`)
  console.log(`GET /api/targets/bench/privileges median of ${RUNS}: ${api.toFixed(1)} ms (${(bytes / 1_048_576).toFixed(1)} MB of JSON)`)
  console.log(`ratio analyzePrivileges / psql: ${(analyse / psql).toFixed(2)}; API / psql: ${(api / psql).toFixed(2)} (target ≤ 2, and < 500 ms)`)
  if (api >= 500 || api / psql > 2) process.exitCode = 1
} finally {
  cluster.stop()
}
