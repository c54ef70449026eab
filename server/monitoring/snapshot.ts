import type pg from 'pg'
import type { ConnectionStateCount, MonitoringSnapshot } from '~contract/monitoring'
import { activity, locksWaiting } from './activity'
import { CLIENT_BACKEND, MARK } from './sql'
import { largestTables } from './tables'

/**
 * One look at the server: four set-based catalog queries run side by side on the target's bounded
 * pool (at most four connections), whatever the number of tables or sessions.
 */
export async function monitoringSnapshot(pool: pg.Pool): Promise<MonitoringSnapshot> {
  const [server, tables, sessions, locks] = await Promise.all([
    serverState(pool), largestTables(pool), activity(pool), locksWaiting(pool),
  ])
  const total = server.byState.reduce((sum, s) => sum + s.count, 0)
  return {
    takenAt: new Date().toISOString(),
    database: { name: server.name, sizeBytes: server.sizeBytes },
    access: { user: server.user, seesAllSessions: server.seesAll },
    connections: {
      byState: server.byState, total, max: server.max, reserved: server.reserved,
      usedPercent: server.max > 0 ? Math.round((total / server.max) * 1000) / 10 : 0,
    },
    largestTables: tables,
    longestQueries: sessions.longestQueries,
    openTransactions: sessions.openTransactions,
    locksWaiting: locks,
  }
}

interface ServerRow {
  name: string
  user: string
  sizeBytes: number
  max: number
  reserved: number
  seesAll: boolean
  byState: ConnectionStateCount[]
}

async function serverState(pool: pg.Pool): Promise<ServerRow> {
  const { rows } = await pool.query<ServerRow>(`${MARK}
    SELECT current_database() AS name, current_user AS "user",
      pg_database_size(current_database())::float8 AS "sizeBytes",
      current_setting('max_connections')::int AS max,
      current_setting('superuser_reserved_connections')::int AS reserved,
      pg_has_role('pg_read_all_stats', 'USAGE') AS "seesAll",
      (SELECT coalesce(json_agg(json_build_object('state', s.state, 'count', s.count) ORDER BY s.count DESC, s.state), '[]')
         FROM (SELECT coalesce(a.state, 'unknown') AS state, count(*)::int AS count
                 FROM pg_stat_activity a WHERE ${CLIENT_BACKEND} GROUP BY 1) s) AS "byState"`)
  return rows[0]
}
