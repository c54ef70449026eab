import type pg from 'pg'
import type { BackupTableCount, VerifiedTable } from '~contract/backups'

// The tables whose rows pg_dump dumps: ordinary tables (leaf partitions included), not temporary,
// not system, not members of an extension. query_to_xml runs count(*) per table inside this one
// statement, so every count sees the same snapshot (the exported one when taking a backup).
const DUMPED_TABLES = `
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND c.relpersistence <> 't'
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`

const TABLE_COUNTS_SQL = `
  SELECT n.nspname AS schema, c.relname AS name,
    (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text::bigint AS rows
  ${DUMPED_TABLES}
  ORDER BY 1, 2`

/** How many tables pg_dump will dump: a catalog lookup, for progress before the counts are in. */
export async function dumpedTableCount(db: pg.Pool | pg.ClientBase): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n ${DUMPED_TABLES}`)
  return rows[0].n
}

export async function tableCounts(db: pg.Pool | pg.ClientBase): Promise<BackupTableCount[]> {
  const { rows } = await db.query<{ schema: string, name: string, rows: string }>(TABLE_COUNTS_SQL)
  return rows.map((r) => ({ schema: r.schema, name: r.name, rows: Number(r.rows) }))
}

const RECORDED = { manifest: 'the manifest recorded', dump: 'the dump holds' }

export interface TableComparison { tables: VerifiedTable[], failures: string[], notes: string[] }

/**
 * Restored tables against what was expected. A missing table always fails. Against a manifest (or the
 * rows the dump itself carries) a different row count fails too: the manifest counted the very snapshot
 * that was dumped. Against the live database counts that differ are notes, since the data moved on after the dump.
 */
export function compareTables(expected: BackupTableCount[], restored: BackupTableCount[], against: 'manifest' | 'dump' | 'live'): TableComparison {
  const key = (t: { schema: string, name: string }) => `${t.schema}.${t.name}`
  const restoredByKey = new Map(restored.map((t) => [key(t), t]))
  const expectedKeys = new Set(expected.map(key))
  const tables: VerifiedTable[] = []
  const failures: string[] = []
  const notes: string[] = []
  for (const e of expected) {
    const r = restoredByKey.get(key(e))
    tables.push({ schema: e.schema, name: e.name, expectedRows: e.rows, restoredRows: r?.rows ?? null })
    if (!r) failures.push(`table ${key(e)} is missing from the restored database`)
    else if (r.rows !== e.rows && against !== 'live') failures.push(`table ${key(e)}: ${r.rows} rows restored, ${RECORDED[against]} ${e.rows}`)
    else if (r.rows !== e.rows) notes.push(`table ${key(e)}: ${r.rows} rows in the backup, ${e.rows} in the live database now`)
  }
  for (const r of restored.filter((t) => !expectedKeys.has(key(t)))) {
    tables.push({ schema: r.schema, name: r.name, expectedRows: null, restoredRows: r.rows })
    const where = { manifest: 'the manifest does not list it', dump: 'the dump carries no rows for it', live: 'it is no longer in the live database' }[against]
    notes.push(`table ${key(r)} was restored with ${r.rows} rows but ${where}`)
  }
  return { tables, failures, notes }
}
