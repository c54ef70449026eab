import type pg from 'pg'
import { escapeIdentifier } from 'pg'

/**
 * The tracking table of a target's migrations. A row with `applied_at` set is applied; a row with
 * `applied_at` null and `last_error` set records a failed attempt: rolled back, unless the file committed
 * part of itself with its own COMMIT, which `last_error` then says.
 * `last_error`/`last_failed_at` are optional: tables made by older versions lack them.
 */
export const TRACKING_TABLE_DDL = (table: string): string => `
CREATE TABLE IF NOT EXISTS ${escapeIdentifier(table)} (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz,
  applied_by text,
  duration_ms integer,
  last_error text,
  last_failed_at timestamptz
)`

export const OPTIONAL_COLUMNS = ['last_error', 'last_failed_at'] as const

export interface TrackingTable {
  /** Schema-qualified and quoted, ready to put in a FROM clause. */
  qualified: string
  hasOptionalColumns: boolean
}

/** Finds the table the way an unqualified name resolves for this connection: through its search_path. */
export async function findTrackingTable(pool: pg.Pool | pg.ClientBase, table: string): Promise<TrackingTable | null> {
  const { rows } = await pool.query<{ nspname: string, relname: string, optional: number }>(
    `SELECT n.nspname, c.relname,
            (SELECT count(*)::int FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attname = ANY($2) AND a.attnum > 0 AND NOT a.attisdropped) AS optional
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = to_regclass($1)`,
    [escapeIdentifier(table), [...OPTIONAL_COLUMNS]],
  )
  if (rows.length === 0) return null
  const { nspname, relname, optional } = rows[0]
  return {
    qualified: `${escapeIdentifier(nspname)}.${escapeIdentifier(relname)}`,
    hasOptionalColumns: optional === OPTIONAL_COLUMNS.length,
  }
}
