import type pg from 'pg'
import type { ConnectionStateCount, LockWait, OpenTransaction, RunningQuery } from '~contract/monitoring'
import { CLIENT_BACKEND, MARK, NOT_OURS } from './sql'

const QUERY_CHARS = 300
const LIMIT = 10

/**
 * This console's own monitoring sessions are counted apart: between the statements of its read-only transaction
 * one is "idle in transaction", and counted as such it contradicted the open transactions, which leave it out.
 */
export const OWN_STATE = 'dbsafe monitoring'

interface Activity { byState: ConnectionStateCount[], longestQueries: RunningQuery[], openTransactions: OpenTransaction[] }

/**
 * Sessions by state, longest-running statements and oldest open transactions, from one read of pg_stat_activity
 * (one statement, one snapshot): read apart, a session could count as "idle in transaction" in one and be gone
 * from the other, and the page said both "idle in transaction 1" and "no open transactions".
 */
export async function activity(pool: pg.Pool): Promise<Activity> {
  const { rows } = await pool.query<Activity>(`${MARK}
    WITH a AS (
      SELECT a.pid, a.usename AS "user", a.datname AS database, a.state, a.wait_event_type, a.wait_event,
        a.query_start, a.xact_start, left(a.query, $1) AS query
      FROM pg_stat_activity a
      WHERE ${CLIENT_BACKEND} AND a.pid <> pg_backend_pid() AND ${NOT_OURS}
    )
    SELECT
      (SELECT coalesce(json_agg(json_build_object('state', s.state, 'count', s.count) ORDER BY s.count DESC, s.state), '[]')
         FROM (SELECT CASE WHEN NOT (${NOT_OURS}) THEN '${OWN_STATE}' ELSE coalesce(a.state, 'unknown') END AS state, count(*)::int AS count
                 FROM pg_stat_activity a WHERE ${CLIENT_BACKEND} GROUP BY 1) s) AS "byState",
      (SELECT coalesce(json_agg(q ORDER BY q.since), '[]') FROM (
         SELECT pid, "user", database, state, query, query_start AS since,
           (extract(epoch FROM clock_timestamp() - query_start) * 1000)::float8 AS "durationMs",
           CASE WHEN wait_event IS NOT NULL THEN wait_event_type || ': ' || wait_event END AS "waitEvent"
         FROM a WHERE query_start IS NOT NULL AND state NOT LIKE 'idle%'
         ORDER BY query_start LIMIT $2) q) AS "longestQueries",
      (SELECT coalesce(json_agg(t ORDER BY t.since), '[]') FROM (
         SELECT pid, "user", state, query, xact_start AS since,
           (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::float8 AS "xactAgeMs"
         FROM a WHERE xact_start IS NOT NULL
         ORDER BY xact_start LIMIT $2) t) AS "openTransactions"`, [QUERY_CHARS, LIMIT])
  const { byState, longestQueries, openTransactions } = rows[0]
  return {
    byState,
    longestQueries: longestQueries.map(({ pid, user, database, state, durationMs, query, waitEvent }) =>
      ({ pid, user, database, state, durationMs: Math.round(durationMs), query, waitEvent })),
    openTransactions: openTransactions.map(({ pid, user, state, xactAgeMs, query }) =>
      ({ pid, user, state, xactAgeMs: Math.round(xactAgeMs), query })),
  }
}

/** Sessions waiting for a lock, oldest wait first, with the pids holding them up. */
export async function locksWaiting(pool: pg.Pool): Promise<LockWait[]> {
  // waitstart exists from PostgreSQL 14; read through to_jsonb so older servers fall back to query_start.
  const { rows } = await pool.query<LockWait & { waitingMs: number | null }>(`${MARK}
    SELECT l.pid, a.usename AS "user", l.locktype AS "lockType", l.mode,
      CASE WHEN l.relation IS NOT NULL AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        THEN l.relation::regclass::text END AS relation,
      (extract(epoch FROM clock_timestamp() - coalesce((to_jsonb(l) ->> 'waitstart')::timestamptz, a.query_start)) * 1000)::float8 AS "waitingMs",
      pg_blocking_pids(l.pid) AS "blockedBy",
      left(coalesce(a.query, ''), $1) AS query
    FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE NOT l.granted
    ORDER BY "waitingMs" DESC NULLS LAST
    LIMIT $2`, [QUERY_CHARS, LIMIT * 2])
  return rows.map((r) => ({ ...r, waitingMs: r.waitingMs === null ? null : Math.round(r.waitingMs) }))
}
