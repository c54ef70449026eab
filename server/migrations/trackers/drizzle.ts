import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { baseName, textChecksum, type TrackerTool } from './tool'

/**
 * Drizzle's migrator (drizzle-orm `migrate()`): `drizzle.__drizzle_migrations` (id, hash, created_at). A row
 * records no name: `hash` is the sha256 hex of `<tag>.sql` and `created_at` the `when` of its entry in
 * `meta/_journal.json` (when the migration was generated, not applied: Drizzle records no applied time), which is
 * how a row is matched to its tag. A row no journal entry claims keeps its hash as id.
 */
export const drizzle: TrackerTool = {
  describe: 'Drizzle\'s table "drizzle"."__drizzle_migrations"',
  async read(client, migrationsDir) {
    const tags = await journalTags(migrationsDir)
    const { rows } = await client.query<{ hash: string, created_at: string | null }>(
      'SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY created_at, id')
    return rows.map((r) => ({ id: (r.created_at !== null && tags.get(r.created_at)) || r.hash, appliedAt: null, checksum: r.hash }))
  },
  idOf: baseName,
  checksumOf: textChecksum,
}

/** The journal's `when` (milliseconds, as text like a bigint column) → tag. */
async function journalTags(migrationsDir: string): Promise<Map<string, string>> {
  const path = join(migrationsDir, 'meta', '_journal.json')
  let journal: { entries?: { when: number, tag: string }[] }
  try {
    journal = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new Error(`Drizzle's journal ${path} cannot be read (${(err as Error).message})`, { cause: err })
  }
  return new Map((journal.entries ?? []).map((e) => [String(e.when), e.tag]))
}
