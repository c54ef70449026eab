import type pg from 'pg'
import type { MigrationsTracker, TrackerPreset } from '~server/config/schema'
import { drizzle } from './drizzle'
import { knex } from './knex'
import { kysely } from './kysely'
import { nodePgMigrate } from './node-pg-migrate'
import { prisma } from './prisma'
import { queryTracker } from './query'
import { readInReadOnlyTransaction } from './read-only'
import { sequelize } from './sequelize'
import type { TrackerTool } from './tool'
import { typeorm } from './typeorm'
import type { MigrationSource, TrackedEntry, TrackedStatusRow, TrackerRead } from './types'

/** A tracker the app's own tool keeps (not dbsafe's table). */
export type AppTracker = Exclude<MigrationsTracker, 'dbsafe'>

const PRESETS: Record<TrackerPreset, TrackerTool> = {
  'prisma': prisma,
  'knex': knex,
  'node-pg-migrate': nodePgMigrate,
  'drizzle': drizzle,
  'kysely': kysely,
  'typeorm': typeorm,
  'sequelize': sequelize,
}

const toolOf = (tracker: AppTracker): TrackerTool => typeof tracker === 'string' ? PRESETS[tracker] : queryTracker(tracker.query)

/**
 * Reads the app's record of applied migrations in a read-only transaction with a statement timeout; dbsafe never
 * writes it. A tracker that cannot be read is a result (`missing`, `denied`, `error`) with its cause, never a throw.
 */
export function readTracker(db: pg.Pool | pg.ClientBase, tracker: AppTracker, migrationsDir: string): Promise<TrackerRead> {
  const tool = toolOf(tracker)
  return readInReadOnlyTransaction(db, tool.describe, (client) => tool.read(client, migrationsDir))
}

/** The id the tool records for this file. */
export const trackerIdOf = (tracker: AppTracker, source: MigrationSource): string => toolOf(tracker).idOf(source)

/** The tool's checksum of the file, or null for a tool that keeps none. */
export const trackerChecksumOf = (tracker: AppTracker, source: MigrationSource): string | null => toolOf(tracker).checksumOf?.(source) ?? null

/**
 * Each file's status in the given order, then the tracked ids whose file is gone (`missing`). A file is `drifted`
 * when the tool's recorded checksum no longer matches it, `failed` when the tool recorded its attempt as failed.
 */
export function trackedStatus(tracker: AppTracker, sources: MigrationSource[], read: TrackerRead & { ok: true }): TrackedStatusRow[] {
  const tool = toolOf(tracker)
  const byId = new Map<string, TrackedEntry>()
  // A successful entry outranks a failed attempt at the same id.
  for (const e of read.entries) if (!byId.get(e.id) || byId.get(e.id)?.failed) byId.set(e.id, e)
  const seen = new Set<string>()
  const rows: TrackedStatusRow[] = sources.map((source) => {
    const id = tool.idOf(source)
    seen.add(id)
    const entry = byId.get(id)
    if (!entry) return { relPath: source.relPath, id, status: 'pending', appliedAt: null }
    if (entry.failed) return { relPath: source.relPath, id, status: 'failed', appliedAt: null, lastError: entry.failed }
    return { relPath: source.relPath, id, status: drifted(tool, source, entry) ? 'drifted' : 'applied', appliedAt: entry.appliedAt }
  })
  for (const [id, entry] of byId) {
    if (!seen.has(id)) rows.push({ relPath: null, id, status: 'missing', appliedAt: entry.appliedAt })
  }
  return rows
}

function drifted(tool: TrackerTool, source: MigrationSource, entry: TrackedEntry): boolean {
  // A tool without checksums, or a row without one, cannot prove drift.
  if (!tool.checksumOf || !entry.checksum) return false
  return tool.checksumMatches ? !tool.checksumMatches(source, entry.checksum) : tool.checksumOf(source) !== entry.checksum
}
