// The bench catalog: 50,000 tables in 10 schemas, every 7th owned by a role the app role inherits,
// every 3rd with DML grants to the app role, the rest owned by a role it has nothing to do with.
import type pg from 'pg'

export const APP = 'bench_app'
export const TABLES = Number(process.env.BENCH_TABLES ?? 50_000)
// A few thousand per transaction: one transaction for all of them runs out of lock table slots.
const BATCH = 5000

const SETUP = `
CREATE ROLE bench_owner NOLOGIN;
CREATE ROLE bench_team NOLOGIN;
CREATE ROLE ${APP} LOGIN;
GRANT bench_team TO ${APP};
DO $$ BEGIN
  FOR s IN 0..9 LOOP
    EXECUTE format('CREATE SCHEMA s%s AUTHORIZATION bench_owner', s);
    EXECUTE format('GRANT USAGE ON SCHEMA s%s TO ${APP}', s);
  END LOOP;
END $$;`

const batchSql = (from: number, to: number) => `
DO $$
DECLARE t text;
BEGIN
  FOR i IN ${from}..${to} LOOP
    t := format('s%s.t%s', i % 10, i);
    EXECUTE format('CREATE TABLE %s (id int, v text)', t);
    EXECUTE format('ALTER TABLE %s OWNER TO %s', t, CASE WHEN i % 7 = 0 THEN 'bench_team' ELSE 'bench_owner' END);
    IF i % 3 = 0 THEN EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO ${APP}', t); END IF;
  END LOOP;
END $$;`

/** Builds the catalog in the pool's database (superuser connection). */
export async function buildCatalog(pool: pg.Pool): Promise<void> {
  await pool.query(SETUP)
  for (let i = 1; i <= TABLES; i += BATCH) await pool.query(batchSql(i, Math.min(i + BATCH - 1, TABLES)))
  // Only the catalogs the analysis reads: a database-wide ANALYZE of 50,000 empty tables takes minutes.
  await pool.query('ANALYZE pg_catalog.pg_class, pg_catalog.pg_namespace, pg_catalog.pg_depend, pg_catalog.pg_auth_members')
}
