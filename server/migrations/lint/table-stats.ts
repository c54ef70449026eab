import type pg from 'pg'
import { escapeIdentifier } from 'pg'
import type { TableStats } from '~contract/migrations'

/**
 * Size and row estimate of the named relations ("schema.table" or "table", resolved through the
 * connection's search_path), in one catalog query. Names that do not resolve are left out.
 */
export async function tableStatsFor(pool: pg.Pool, tableNames: Iterable<string>): Promise<Map<string, TableStats>> {
  const keys = [...new Set(tableNames)].filter((k) => k !== '' && k !== '?')
  if (keys.length === 0) return new Map()
  const quoted = keys.map(regclassText)
  const { rows } = await pool.query<{ key: string, size_bytes: string, reltuples: number }>(
    `SELECT k.key, pg_total_relation_size(c.oid) AS size_bytes, c.reltuples::float8 AS reltuples
       FROM unnest($1::text[], $2::text[]) AS k(key, quoted)
       JOIN pg_class c ON c.oid = to_regclass(k.quoted)`,
    [keys, quoted],
  )
  return new Map(rows.map((r) => [r.key, { sizeBytes: Number(r.size_bytes), rowEstimate: Math.round(r.reltuples) }]))
}

/** A parsed relation name as to_regclass should read it. */
export function regclassText(name: string): string {
  // The names come from the parser, already case-folded: quote each part so to_regclass keeps it as is.
  // A catalog (database) prefix is dropped: to_regclass rejects cross-database names.
  return name.split('.').slice(-2).map(escapeIdentifier).join('.')
}
