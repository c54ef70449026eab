import { baseName, dateOf, type TrackerTool } from './tool'

/**
 * Kysely's Migrator: `kysely_migration` (name, timestamp) as an unqualified name; `name` is the migration's key,
 * which FileMigrationProvider makes the file name without its extension; `timestamp` is an ISO string, so text
 * order is time order (the order the Migrator sorts them in).
 */
export const kysely: TrackerTool = {
  describe: 'Kysely\'s table "kysely_migration"',
  async read(client) {
    const { rows } = await client.query<{ name: string, timestamp: string }>('SELECT name, timestamp FROM kysely_migration ORDER BY timestamp, name')
    return rows.map((r) => ({ id: r.name, appliedAt: dateOf(r.timestamp) }))
  },
  idOf: baseName,
}
