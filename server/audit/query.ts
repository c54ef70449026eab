import type pg from 'pg'
import type { AuditEntry, AuditQuery } from '~contract/audit'

/** Newest first; `before` (an entry id) pages back through history without offsets. */
export async function queryAudit(db: pg.Pool, q: AuditQuery): Promise<AuditEntry[]> {
  const { rows } = await db.query<AuditEntry>(
    `SELECT id, at, actor, action, target, params, outcome FROM audit_log
     WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action LIKE $2 || '%')
       AND ($3::text IS NULL OR target = $3) AND ($4::text IS NULL OR (outcome = 'ok') = ($4 = 'ok'))
       AND ($5::int IS NULL OR id < $5)
     ORDER BY id DESC LIMIT $6`,
    [q.actor ?? null, q.action ?? null, q.target ?? null, q.outcome ?? null, q.before ?? null, q.limit])
  return rows
}
