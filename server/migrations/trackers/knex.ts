import { fileName, type TrackerTool } from './tool'

/**
 * knex: `knex_migrations` (id, name, batch, migration_time) as an unqualified name, resolved through the
 * search_path as knex does; `name` is the file name with its extension. (`knex_migrations_lock` is its lock.)
 */
export const knex: TrackerTool = {
  describe: 'knex\'s table "knex_migrations"',
  async read(client) {
    const { rows } = await client.query<{ name: string, migration_time: Date | null }>(
      'SELECT name, migration_time FROM knex_migrations ORDER BY id')
    return rows.map((r) => ({ id: r.name, appliedAt: r.migration_time }))
  },
  idOf: fileName,
}
