import type pg from 'pg'
import type { MigrationStatus, MigrationStatusRow } from '~contract/migrations'
import { compareMigrationNames, type MigrationFile } from './discover'
import { findTrackingTable } from './tracking-table'

const DBSAFE_NO_TABLE = { kind: 'dbsafe', readable: true, exists: false } as const

interface TrackedRow {
  name: string
  checksum: string | null
  applied_at: Date | null
  applied_by: string | null
  duration_ms: number | null
  last_error: string | null
  last_failed_at: Date | null
}

/**
 * Compares the files with the tracking table. A missing table means nothing was applied yet;
 * rows are in run order, with applied names whose file is gone (`missing`) placed by their prefix.
 */
export async function migrationStatus(pool: pg.Pool | pg.ClientBase, table: string, files: Pick<MigrationFile, 'name' | 'checksum'>[]): Promise<MigrationStatus> {
  const tracking = await findTrackingTable(pool, table)
  if (!tracking) {
    return { tracker: DBSAFE_NO_TABLE, migrations: files.map((f) => pendingRow(f.name, f.checksum)) }
  }
  const optional = tracking.hasOptionalColumns ? 'last_error, last_failed_at' : 'NULL::text AS last_error, NULL::timestamptz AS last_failed_at'
  const { rows } = await pool.query<TrackedRow>(
    `SELECT name, checksum, applied_at, applied_by, duration_ms, ${optional} FROM ${tracking.qualified}`,
  )
  const tracked = new Map(rows.map((r) => [r.name, r]))
  const fileNames = new Set(files.map((f) => f.name))
  const result = files.map((f) => rowFor(f.name, f.checksum, tracked.get(f.name)))
  for (const r of rows) {
    if (!fileNames.has(r.name) && r.applied_at) result.push({ ...applied(r), status: 'missing', checksum: r.checksum })
  }
  result.sort((a, b) => compareMigrationNames(a.name, b.name))
  return { tracker: { kind: 'dbsafe', readable: true, exists: true }, migrations: result }
}

function rowFor(name: string, checksum: string, r: TrackedRow | undefined): MigrationStatusRow {
  if (!r) return pendingRow(name, checksum)
  if (r.applied_at) {
    // A null recorded checksum (hand-inserted row) cannot prove drift.
    const drifted = r.checksum !== null && r.checksum !== checksum
    return drifted ? { ...applied(r), status: 'drifted', checksum, appliedChecksum: r.checksum! } : { ...applied(r), status: 'applied', checksum }
  }
  if (r.last_error !== null) {
    return { ...pendingRow(name, checksum), status: 'failed', lastError: r.last_error, ...(r.last_failed_at ? { lastFailedAt: r.last_failed_at.toISOString() } : {}) }
  }
  return pendingRow(name, checksum)
}

export function pendingRow(name: string, checksum: string): MigrationStatusRow {
  return { name, status: 'pending', checksum, appliedAt: null, appliedBy: null, durationMs: null }
}

function applied(r: TrackedRow): Omit<MigrationStatusRow, 'status' | 'checksum'> {
  return {
    name: r.name,
    appliedAt: r.applied_at ? r.applied_at.toISOString() : null,
    appliedBy: r.applied_by,
    durationMs: r.duration_ms,
  }
}
