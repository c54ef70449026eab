import type pg from 'pg'
import { baseName, dateOf, type TrackerTool } from './tool'

/**
 * A tracker the configuration describes with its own read-only SQL: first column the id (as text), an optional
 * second column the applied-at time; rows in the order returned. An id is the migration module's `id` property,
 * or the file name without its extension.
 */
export function queryTracker(sql: string): TrackerTool {
  return {
    describe: `the tracker query (${oneLine(sql)})`,
    async read(client) {
      // The extended protocol takes one statement only, so a `…; COMMIT; DELETE …` cannot end the read-only transaction.
      const { rows } = await client.query({ text: sql, rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig).catch((err: Error & { code?: string }) => {
        if (err.code === '42601' && /multiple commands/.test(err.message)) err.message += ' (the tracker query must be a single statement)'
        throw err
      })
      return rows.filter((r) => r[0] !== null && r[0] !== undefined).map((r) => ({ id: String(r[0]), appliedAt: dateOf(r[1]) }))
    },
    idOf: (source) => source.moduleId ?? baseName(source),
  }
}

function oneLine(sql: string): string {
  const text = sql.replaceAll(/\s+/g, ' ').trim()
  return text.length > 80 ? `${text.slice(0, 79)}…` : text
}
