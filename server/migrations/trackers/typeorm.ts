import { baseName, type TrackerTool } from './tool'
import type { MigrationSource } from './types'

/**
 * TypeORM: `migrations` (id, timestamp, name) as an unqualified name; `name` is the migration's class name
 * (its `name` property when set), `timestamp` the 13-digit milliseconds that end it.
 */
export const typeorm: TrackerTool = {
  describe: 'TypeORM\'s table "migrations"',
  async read(client) {
    const { rows } = await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id')
    // The timestamp is when the migration was generated, not applied: TypeORM records no applied time.
    return rows.map((r) => ({ id: r.name, appliedAt: null }))
  },
  idOf: (source) => source.className ?? generatedClassName(source),
}

/** `migration:create`/`generate` write `<timestamp>-<Name>.ts` holding class `camelCase(Name, true) + timestamp`. */
function generatedClassName(source: MigrationSource): string {
  const match = /^(\d+)-(.+)$/.exec(baseName(source))
  return match ? camelCase(match[2]) + match[1] : baseName(source)
}

/** TypeORM's StringUtils.camelCase(str, firstCapital = true): a space, `-` or `_` and the word character after it become that character upper-cased. */
const camelCase = (name: string): string => ` ${name}`.replaceAll(/[\s\-_](\w)/g, (_, c: string) => c.toUpperCase())
