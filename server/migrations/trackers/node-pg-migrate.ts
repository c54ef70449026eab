import { baseName, type TrackerTool } from './tool'

/**
 * node-pg-migrate: `public.pgmigrations` (id, name, run_on), read in the order the tool reads it;
 * `name` is the file name without its extension. `run_on` is a timestamp without time zone (the server's now()).
 */
export const nodePgMigrate: TrackerTool = {
  describe: 'node-pg-migrate\'s table "public"."pgmigrations"',
  async read(client) {
    const { rows } = await client.query<{ name: string, run_on: Date | null }>(
      `SELECT name, run_on AT TIME ZONE current_setting('TimeZone') AS run_on FROM public.pgmigrations ORDER BY run_on, id`)
    return rows.map((r) => ({ id: r.name, appliedAt: r.run_on }))
  },
  idOf: baseName,
}
