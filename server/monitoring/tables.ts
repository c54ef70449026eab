import type pg from 'pg'
import type { TableSize } from '~contract/monitoring'
import { MARK } from './sql'

const LIMIT = 10

/**
 * The largest tables by pg_total_relation_size, in one query over pg_class.
 * The size functions take an ACCESS SHARE lock, so they would queue behind a migration's ACCESS EXCLUSIVE
 * lock (held or awaited) and hang the page while it matters most: such tables are sized from their planner
 * statistics (relpages) instead, and a lock timeout catches one that arrives mid-query.
 */
export async function largestTables(pool: pg.Pool): Promise<TableSize[]> {
  try {
    return await withLockTimeout(pool)
  } catch (err) {
    if ((err as { code?: string }).code !== '55P03') throw err
    return withLockTimeout(pool)
  }
}

type Row = Omit<TableSize, 'rowEstimate'> & { rowEstimate: number }

async function withLockTimeout(pool: pg.Pool): Promise<TableSize[]> {
  const client = await pool.connect()
  try {
    await client.query(`${MARK} BEGIN READ ONLY`)
    await client.query(`${MARK} SET LOCAL lock_timeout = '1s'`)
    const { rows } = await client.query<Row>(SQL, [LIMIT])
    await client.query('COMMIT')
    // Since PostgreSQL 14, reltuples is -1 for a table never vacuumed or analysed: unknown, not empty.
    return rows.map((r) => ({ ...r, rowEstimate: r.rowEstimate < 0 ? null : r.rowEstimate }))
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.release()
  }
}

const SQL = `${MARK}
  WITH busy AS (
    SELECT DISTINCT l.relation AS oid FROM pg_locks l
    WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  ),
  estimate AS (
    SELECT c.oid,
      (c.relpages + coalesce(t.relpages, 0))::float8 * current_setting('block_size')::float8 AS table_bytes,
      coalesce((SELECT sum(i.relpages) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid), 0)::float8
        * current_setting('block_size')::float8 AS index_bytes
    FROM pg_class c JOIN busy b ON b.oid = c.oid LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
  ),
  ranked AS (
    SELECT c.oid, n.nspname, c.relname, c.reltuples, e.oid IS NOT NULL AS locked, e.table_bytes, e.index_bytes,
      coalesce(e.table_bytes + e.index_bytes, pg_total_relation_size(c.oid)) AS total
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN estimate e ON e.oid = c.oid
    WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't'
      AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
    ORDER BY total DESC NULLS LAST, n.nspname, c.relname
    LIMIT $1
  )
  SELECT nspname AS schema, relname AS name, total::float8 AS "totalBytes",
    coalesce(table_bytes, pg_table_size(oid), 0)::float8 AS "tableBytes",
    coalesce(index_bytes, pg_indexes_size(oid), 0)::float8 AS "indexBytes",
    reltuples::float8 AS "rowEstimate", locked
  FROM ranked WHERE total IS NOT NULL
  ORDER BY total DESC, nspname, relname`
