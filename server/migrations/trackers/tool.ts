import type pg from 'pg'
import { sha256 } from '../discover'
import type { MigrationSource, TrackedEntry } from './types'

/** What dbsafe knows of one migration tool: where it records applied migrations and how it names them. */
export interface TrackerTool {
  /** The tracker as named in causes: `table "knex_migrations"`. */
  describe: string
  /** Reads the entries, in the order the tool applied them, on a client inside a read-only transaction. */
  read: (client: pg.ClientBase, migrationsDir: string) => Promise<TrackedEntry[]>
  idOf: (source: MigrationSource) => string
  /** The tool's checksum of a file, for tools that record one. */
  checksumOf?: (source: MigrationSource) => string
  /** Whether a recorded checksum still matches the file, where the tool accepts more than checksumOf's rendering. */
  checksumMatches?: (source: MigrationSource, recorded: string) => boolean
}

/** The file's name: the last segment of its path. */
export const fileName = (source: MigrationSource): string => source.relPath.slice(source.relPath.lastIndexOf('/') + 1)

/** The file's name without its last extension (`001_init.ts` → `001_init`). */
export function baseName(source: MigrationSource): string {
  const name = fileName(source)
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(0, dot) : name
}

export const textChecksum = (source: MigrationSource): string => sha256(source.text)

/** A timestamp the tool stored as text or a number of milliseconds, or null when it is not one. */
export function dateOf(value: unknown): Date | null {
  if (value === null || value === undefined) return null
  const date = value instanceof Date ? value : new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value as string | number)
  return Number.isNaN(date.getTime()) ? null : date
}
