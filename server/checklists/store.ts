import type pg from 'pg'
import type { AutoResult, ChecklistItem, ChecklistItemTemplate, ChecklistPhase, ChecklistRun, ChecklistRunSummary, RunStatus } from '~contract/checklists'

type Db = pg.Pool | pg.PoolClient

const RUN_COLUMNS = `r.id, r.target, r.phase, r.status, r.started_by AS "startedBy", r.started_at AS "startedAt",
  r.completed_at AS "completedAt", r.signed_off_by AS "signedOffBy", r.sign_off_reason AS "signOffReason",
  r.abandoned_by AS "abandonedBy", r.abandoned_at AS "abandonedAt", r.abandon_reason AS "abandonReason",
  (SELECT count(*) FROM checklist_items i WHERE i.run_id = r.id)::int AS total,
  (SELECT count(*) FROM checklist_items i WHERE i.run_id = r.id AND i.status = 'pass')::int AS passing`
const ITEM_COLUMNS = `key, position, kind, label, help, check_kind AS "check", status, evidence,
  checked_by AS "checkedBy", checked_at AS "checkedAt", note, noted_by AS "notedBy", noted_at AS "notedAt"`

export async function insertRun(client: pg.PoolClient, target: string, phase: ChecklistPhase, startedBy: string,
  items: ChecklistItemTemplate[]): Promise<number> {
  const { rows } = await client.query<{ id: number }>(
    'INSERT INTO checklist_runs (target, phase, started_by) VALUES ($1, $2, $3) RETURNING id', [target, phase, startedBy])
  const id = rows[0].id
  await client.query(
    `INSERT INTO checklist_items (run_id, key, position, kind, label, help, check_kind, params)
     SELECT $1, i.key, i.position, i.kind, i.label, i.help, i.check_kind, coalesce(i.params, '{}')
     FROM jsonb_to_recordset($2::jsonb) AS i(key text, position int, kind text, label text, help text, check_kind text, params jsonb)`,
    [id, JSON.stringify(items.map((i, n) => ({
      key: i.key, position: n + 1, kind: i.kind, label: i.label, help: i.help ?? null,
      check_kind: i.kind === 'auto' ? i.check : null, params: i.kind === 'auto' ? i.params ?? {} : {},
    })))])
  return id
}

export async function findRun(db: Db, target: string, id: number): Promise<ChecklistRun | null> {
  const { rows } = await db.query(`SELECT ${RUN_COLUMNS} FROM checklist_runs r WHERE r.id = $1 AND r.target = $2`, [id, target])
  if (!rows[0]) return null
  const items = await db.query(`SELECT ${ITEM_COLUMNS} FROM checklist_items WHERE run_id = $1 ORDER BY position`, [id])
  return { ...summaryRow(rows[0]), items: items.rows.map(itemRow) }
}

/** Locks the run row for the rest of the transaction, so two people ticking the last items both see the run complete. */
export async function lockRun(client: pg.PoolClient, target: string, id: number): Promise<{ id: number, status: RunStatus } | null> {
  const { rows } = await client.query<{ id: number, status: RunStatus }>(
    'SELECT id, status FROM checklist_runs WHERE id = $1 AND target = $2 FOR UPDATE', [id, target])
  return rows[0] ?? null
}

export async function listRuns(db: Db, target: string, limit = 50): Promise<ChecklistRunSummary[]> {
  const { rows } = await db.query(`SELECT ${RUN_COLUMNS} FROM checklist_runs r WHERE r.target = $1 ORDER BY r.started_at DESC, r.id DESC LIMIT $2`,
    [target, limit])
  return rows.map(summaryRow)
}

export async function autoItems(db: Db, runId: number): Promise<{ key: string, check: string, params: Record<string, unknown> }[]> {
  const { rows } = await db.query(`SELECT key, check_kind AS "check", params FROM checklist_items WHERE run_id = $1 AND kind = 'auto' ORDER BY position`, [runId])
  return rows
}

export async function saveEvaluations(client: pg.PoolClient, runId: number, results: Map<string, AutoResult>, by: string | null): Promise<void> {
  const payload = [...results].map(([key, r]) => ({ key, status: r.pass ? 'pass' : 'fail', evidence: r.evidence }))
  await client.query(
    `UPDATE checklist_items i SET status = e.status, evidence = e.evidence, checked_by = $3, checked_at = now()
     FROM jsonb_to_recordset($2::jsonb) AS e(key text, status text, evidence jsonb)
     WHERE i.run_id = $1 AND i.key = e.key AND i.kind = 'auto'`, [runId, JSON.stringify(payload), by])
}

export async function findItem(db: Db, runId: number, key: string): Promise<ChecklistItem | null> {
  const { rows } = await db.query(`SELECT ${ITEM_COLUMNS} FROM checklist_items WHERE run_id = $1 AND key = $2`, [runId, key])
  return rows[0] ? itemRow(rows[0]) : null
}

export async function setManualItem(client: pg.PoolClient, runId: number, key: string, status: string, note: string | null, by: string): Promise<void> {
  await client.query(`UPDATE checklist_items SET status = $3, checked_by = $5, checked_at = now(),
      note = $4, noted_by = CASE WHEN $4::text IS NULL THEN NULL ELSE $5 END,
      noted_at = CASE WHEN $4::text IS NULL THEN NULL ELSE now() END
    WHERE run_id = $1 AND key = $2 AND kind = 'manual'`, [runId, key, status, note, by])
}

/** Writes, replaces or (with null) removes an item's note, leaving its status and tick alone. */
export async function setNote(client: pg.PoolClient, runId: number, key: string, note: string | null, by: string): Promise<void> {
  await client.query(`UPDATE checklist_items SET note = $3, noted_by = CASE WHEN $3::text IS NULL THEN NULL ELSE $4 END,
      noted_at = CASE WHEN $3::text IS NULL THEN NULL ELSE now() END
    WHERE run_id = $1 AND key = $2`, [runId, key, note, by])
}

/** Completes an open run whose items all pass; one statement, so it sees the items as they are now. */
export async function completeIfAllPass(client: pg.PoolClient, runId: number): Promise<boolean> {
  const { rowCount } = await client.query(`UPDATE checklist_runs SET status = 'passed', completed_at = now()
    WHERE id = $1 AND status = 'open' AND EXISTS (SELECT 1 FROM checklist_items WHERE run_id = $1)
    AND NOT EXISTS (SELECT 1 FROM checklist_items WHERE run_id = $1 AND status <> 'pass')`, [runId])
  return rowCount === 1
}

export async function markSignedOff(client: pg.PoolClient, runId: number, by: string, reason: string): Promise<void> {
  await client.query(`UPDATE checklist_runs SET status = 'signed-off', completed_at = now(), signed_off_by = $2, sign_off_reason = $3
    WHERE id = $1 AND status = 'open'`, [runId, by, reason])
}

export async function markAbandoned(client: pg.PoolClient, runId: number, by: string, reason: string): Promise<void> {
  await client.query(`UPDATE checklist_runs SET status = 'abandoned', abandoned_at = now(), abandoned_by = $2, abandon_reason = $3
    WHERE id = $1 AND status = 'open'`, [runId, by, reason])
}

/** When the last completed run of this phase finished, not counting `exceptRun`. */
export async function previousCompletedAt(db: Db, target: string, phase: ChecklistPhase, exceptRun?: number): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date }>(`SELECT completed_at AS at FROM checklist_runs
    WHERE target = $1 AND phase = $2 AND completed_at IS NOT NULL AND id <> $3 ORDER BY completed_at DESC LIMIT 1`,
  [target, phase, exceptRun ?? 0])
  return rows[0]?.at ?? null
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null)

function summaryRow(r: Record<string, unknown>): ChecklistRunSummary {
  const run = r as unknown as ChecklistRunSummary & { startedAt: Date, completedAt: Date | null, abandonedAt: Date | null }
  return { ...run, startedAt: iso(run.startedAt)!, completedAt: iso(run.completedAt), abandonedAt: iso(run.abandonedAt) }
}

function itemRow(r: Record<string, unknown>): ChecklistItem {
  const item = r as unknown as ChecklistItem & { checkedAt: Date | null, notedAt: Date | null }
  return { ...item, checkedAt: iso(item.checkedAt), notedAt: iso(item.notedAt) }
}
