// What a tracker (the app's record of applied migrations) tells dbsafe, whichever tool keeps it.

/** One applied (or attempted) migration as the tool recorded it. */
export interface TrackedEntry {
  /** The id in the tool's terms, matched against trackerIdOf(file). */
  id: string
  appliedAt: Date | null
  /** The tool's checksum of the file when it stores one (Prisma, Drizzle); compared with trackerChecksumOf(file). */
  checksum?: string | null
  /** Set when the tool records this attempt as failed or unfinished (Prisma without finished_at, golang-migrate dirty). */
  failed?: string | null
}

export type TrackerRead =
  | { ok: true, entries: TrackedEntry[] }
  /** The cause in plain words: "relation "knex_migrations" does not exist", "permission denied for table …". */
  | { ok: false, cause: string, code: 'missing' | 'denied' | 'error' }

/** A migration file as discovery found it, in the terms a tracker needs to recognise it. */
export interface MigrationSource {
  /** Path relative to migrationsDir, with "/" separators (e.g. "20240101_init/migration.sql"). */
  relPath: string
  /** The file's bytes as text. */
  text: string
  /** For JS/TS modules: the exported migration object's `id` string when it has exactly one. */
  moduleId?: string
  /** For JS/TS modules: the exported migration class name and its `name` property (TypeORM), when present. */
  className?: string
}

/** A file's status against the tracker, or (relPath null) a tracked id whose file is gone. */
export type TrackedStatusRow =
  | { relPath: string, id: string, status: 'applied' | 'pending' | 'drifted' | 'failed', appliedAt: Date | null, lastError?: string }
  | { relPath: null, id: string, status: 'missing', appliedAt: Date | null }
