import type pg from 'pg'
import type { AuditEntry, AuditQuery } from '~contract/audit'

/**
 * Newest first; `before` (an entry id) pages back through history without offsets. The name a failed login
 * tried is often a mistyped password: only admins see it (and can filter by it).
 */
export async function queryAudit(db: pg.Pool, q: AuditQuery, opts: { admin: boolean }): Promise<AuditEntry[]> {
  const { rows } = await db.query<AuditEntry>(
    `SELECT id, at, CASE WHEN $7 OR NOT failed_login THEN actor END AS actor, action, target, params, outcome
     FROM audit_log, LATERAL (SELECT action = 'auth.login' AND outcome <> 'ok' AS failed_login) f
     WHERE ($1::text IS NULL OR (actor = $1 AND ($7 OR NOT failed_login))) AND ($2::text IS NULL OR action LIKE $2 || '%')
       AND ($3::text IS NULL OR target = $3) AND ($4::text IS NULL OR (outcome = 'ok') = ($4 = 'ok'))
       AND ($5::int IS NULL OR id < $5)
     ORDER BY id DESC LIMIT $6`,
    [q.actor ?? null, q.action ?? null, q.target ?? null, q.outcome ?? null, q.before ?? null, q.limit, opts.admin])
  return rows
}
