import { fileName, type TrackerTool } from './tool'

/**
 * sequelize-cli (umzug's SequelizeStorage): `"SequelizeMeta"` (name) as an unqualified name, ordered by name as
 * umzug reads it; `name` is the file name with its extension. It records no time.
 */
export const sequelize: TrackerTool = {
  describe: 'sequelize-cli\'s table "SequelizeMeta"',
  async read(client) {
    const { rows } = await client.query<{ name: string }>('SELECT name FROM "SequelizeMeta" ORDER BY name')
    return rows.map((r) => ({ id: r.name, appliedAt: null }))
  },
  idOf: fileName,
}
