// Migration folders laid out as each tool lays them out, and dbsafe's reading of their trackers.
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import type pg from 'pg'
import { readTracker, trackedStatus, type AppTracker } from '~server/migrations/trackers/index'
import type { MigrationSource } from '~server/migrations/trackers/types'

export const tempDir = (label: string): Promise<string> => mkdtemp(join(tmpdir(), `dbsafe-${label}-`))

/** Every file under dir whose name passes `keep`, as discovery hands them to a tracker, in path order. */
export async function sourcesIn(dir: string, keep: (name: string) => boolean): Promise<MigrationSource[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const files = entries.filter((e) => e.isFile() && keep(e.name)).map((e) => join(e.parentPath, e.name)).sort()
  return Promise.all(files.map(async (path) => ({ relPath: relative(dir, path).split(sep).join('/'), text: await readFile(path, 'utf8') })))
}

/** dbsafe's status of each migration (id → status), reading the tracker as the console does; throws when it cannot be read. */
export async function dbsafeStatus(db: pg.Pool, tracker: AppTracker, dir: string, sources: MigrationSource[]): Promise<Record<string, string>> {
  const read = await readTracker(db, tracker, dir)
  if (!read.ok) throw new Error(`tracker not read (${read.code}): ${read.cause}`)
  return Object.fromEntries(trackedStatus(tracker, sources, read).map((r) => [r.id, r.status]))
}
