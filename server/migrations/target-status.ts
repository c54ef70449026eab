import type pg from 'pg'
import type { MigrationStatus, MigrationStatusRow, TrackerKind } from '~contract/migrations'
import type { TargetConfig } from '../config/schema'
import { discoverMigrations, type Discovery, type MigrationFile } from './discover'
import { readMigrationModule } from './modules/read'
import { migrationStatus, pendingRow } from './status'
import { readTracker, trackedStatus, type AppTracker } from './trackers'
import type { MigrationSource } from './trackers/types'

/** The target's migration files: JS/TS modules count only when the app's own tool runs them. */
export function discoverTargetMigrations(target: TargetConfig): Promise<Discovery> {
  return discoverMigrations(target.migrationsDir, { ignore: target.migrationsIgnore, modules: target.migrationsTracker !== 'dbsafe' })
}

export const trackerKind = (target: TargetConfig): TrackerKind =>
  typeof target.migrationsTracker === 'string' ? target.migrationsTracker : 'query'

/**
 * Compares the files with wherever the target records applied migrations. An app tracker that cannot be
 * read leaves every row `unknown`: "everything pending" would be a guess presented as a fact.
 */
export async function targetMigrationStatus(pool: pg.Pool | pg.ClientBase, target: TargetConfig, files: MigrationFile[]): Promise<MigrationStatus> {
  const tracker = target.migrationsTracker
  if (tracker === 'dbsafe') return migrationStatus(pool, target.migrationsTable, files)
  const kind = trackerKind(target)
  const read = await readTracker(pool, tracker, target.migrationsDir)
  if (!read.ok) {
    return {
      tracker: { kind, readable: false, code: read.code, cause: read.cause },
      migrations: files.map((f) => ({ ...pendingRow(f.name, f.checksum), status: 'unknown' })),
    }
  }
  const byPath = new Map(files.map((f) => [f.relPath, f]))
  const rows = trackedStatus(tracker, files.map(sourceOf), read).map((r): MigrationStatusRow => {
    const file = r.relPath === null ? undefined : byPath.get(r.relPath)
    const name = file?.name ?? r.id
    return {
      name, ...(r.id !== name ? { id: r.id } : {}), status: r.status, checksum: file?.checksum ?? null,
      appliedAt: r.appliedAt?.toISOString() ?? null, appliedBy: null, durationMs: null,
      ...('lastError' in r && r.lastError ? { lastError: r.lastError } : {}),
    }
  })
  return { tracker: { kind, readable: true, exists: true }, migrations: rows }
}

/** The ids the app's tracker records, in its order; throws with the tracker's cause when it cannot be read. */
export async function appliedIds(pool: pg.Pool | pg.ClientBase, target: TargetConfig & { migrationsTracker: AppTracker }): Promise<string[]> {
  const read = await readTracker(pool, target.migrationsTracker, target.migrationsDir)
  if (!read.ok) throw new Error(read.cause)
  return read.entries.filter((e) => !e.failed).map((e) => e.id)
}

// A module's exported `id` (or TypeORM class name) is what its tool records, not the file name.
function sourceOf(f: MigrationFile): MigrationSource {
  if (f.kind === 'sql') return { relPath: f.relPath, text: f.text }
  const { moduleId, className } = readMigrationModule(f.text, f.relPath)
  return { relPath: f.relPath, text: f.text, ...(moduleId ? { moduleId } : {}), ...(className ? { className } : {}) }
}
