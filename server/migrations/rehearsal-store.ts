import type pg from 'pg'
import type { Rehearsal, RehearsalDrift } from '~contract/rehearsal'

export async function saveRehearsal(db: pg.Pool, r: Omit<Rehearsal, 'id'>): Promise<Rehearsal> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO migration_rehearsals (target, ok, backup_id, backup_sha256, started_at, finished_at, result, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [r.target, r.ok, r.backup.id, r.backup.sha256, r.startedAt, r.finishedAt, JSON.stringify(r), r.createdBy])
  return { id: rows[0].id, ...r }
}

export async function latestRehearsal(db: pg.Pool, target: string): Promise<Rehearsal | null> {
  const { rows } = await db.query<{ id: number, result: Omit<Rehearsal, 'id'> }>(
    'SELECT id, result FROM migration_rehearsals WHERE target = $1 ORDER BY finished_at DESC, id DESC LIMIT 1', [target])
  return rows[0] ? { id: rows[0].id, ...rows[0].result } : null
}

/**
 * Whether the pending files differ from those the rehearsal ran: a file rehearsed with other bytes, or a
 * pending file it never saw. Migrations applied since only shorten the list; they do not void the rehearsal.
 */
export function filesChangedSince(rehearsal: Pick<Rehearsal, 'migrations'>, pending: { name: string, checksum: string | null }[]): RehearsalDrift {
  const rehearsed = new Map(rehearsal.migrations.filter((m) => !m.catchUp).map((m) => [m.name, m.checksum]))
  const now = new Set(pending.map((p) => p.name))
  const modified = pending.filter((p) => rehearsed.has(p.name) && rehearsed.get(p.name) !== p.checksum).map((p) => p.name)
  const added = pending.filter((p) => !rehearsed.has(p.name)).map((p) => p.name)
  const noLongerPending = [...rehearsed.keys()].filter((name) => !now.has(name))
  return { changed: modified.length > 0 || added.length > 0, modified, added, noLongerPending }
}
