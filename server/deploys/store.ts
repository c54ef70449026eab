import type pg from 'pg'
import type { DeployOutcome, DeployStepEvidence, DeployStepKey, DeployStepStatus, DeploySummary, PrivilegeDiff } from '~contract/deploys'
import { NotFoundError, RefusedError } from '../errors'

export interface StepRow {
  step: DeployStepKey, status: DeployStepStatus, evidence: DeployStepEvidence | null, checkedBy: string | null, checkedAt: string,
  overrideBy: string | null, overrideAt: string | null, overrideReason: string | null
}

export interface PrivilegeRow {
  role: string, startAt: string, startCounts: Record<string, number>, startHash: string, startEntries: string[] | null,
  diff: Omit<PrivilegeDiff, 'acknowledged'> | null, ackBy: string | null, ackAt: string | null, ackReason: string | null
}

type Row = Omit<DeploySummary, 'current'>

const COLUMNS = `id, target, note, started_by AS "startedBy", started_at AS "startedAt", ended_by AS "endedBy", ended_at AS "endedAt",
  outcome, end_reason AS "endReason", restore_job_id AS "restoreJobId", backup_id AS backup`

/** Inserts the open deploy; a second while one is open loses the race on the unique index and is refused. */
export async function insertDeploy(client: pg.ClientBase, target: string, who: string, note: string | null): Promise<Row> {
  // ON CONFLICT waits for a concurrent insert to commit, then inserts nothing: the loser is refused, not aborted.
  const { rows } = await client.query<Row>(`INSERT INTO deploys (target, note, started_by) VALUES ($1, $2, $3)
    ON CONFLICT (target) WHERE ended_at IS NULL DO NOTHING RETURNING ${COLUMNS}`, [target, note, who])
  if (rows[0]) return iso(rows[0])
  const open = await openDeployRow(client, target)
  throw new RefusedError(`A deploy of ${target} is already open${open ? ` (#${open.id}, started by ${open.startedBy})` : ''}: end or abandon it first`,
    { code: 'deploy-open', data: { deploy: open?.id ?? null } })
}

export async function openDeployRow(db: pg.ClientBase | pg.Pool, target: string): Promise<Row | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM deploys WHERE target = $1 AND ended_at IS NULL`, [target])
  return rows[0] ? iso(rows[0]) : null
}

/** The deploy, locked FOR UPDATE when asked inside a transaction; a deploy of another target is not found. */
export async function deployRow(db: pg.ClientBase | pg.Pool, target: string, id: number, lock = false): Promise<Row> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM deploys WHERE id = $1 AND target = $2${lock ? ' FOR UPDATE' : ''}`, [id, target])
  if (!rows[0]) throw new NotFoundError(`No deploy #${id} of ${target}`)
  return iso(rows[0])
}

export async function deployRows(db: pg.Pool, target: string, limit = 50): Promise<Row[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM deploys WHERE target = $1 ORDER BY started_at DESC, id DESC LIMIT $2`, [target, limit])
  return rows.map(iso)
}

export async function stepRows(db: pg.ClientBase | pg.Pool, deploy: number): Promise<StepRow[]> {
  const { rows } = await db.query<StepRow>(
    `SELECT step, status, evidence, checked_by AS "checkedBy", checked_at AS "checkedAt", override_by AS "overrideBy",
       override_at AS "overrideAt", override_reason AS "overrideReason" FROM deploy_steps WHERE deploy_id = $1`, [deploy])
  return rows.map((r) => ({ ...r, checkedAt: isoOf(r.checkedAt)!, overrideAt: isoOf(r.overrideAt) }))
}

export async function saveStep(client: pg.ClientBase, deploy: number, step: DeployStepKey, status: DeployStepStatus, evidence: DeployStepEvidence | null, who: string): Promise<void> {
  await client.query(
    `INSERT INTO deploy_steps (deploy_id, step, status, evidence, checked_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (deploy_id, step) DO UPDATE SET status = $3, evidence = $4, checked_by = $5, checked_at = now()`,
    [deploy, step, status, evidence, who])
}

export async function saveOverride(client: pg.ClientBase, deploy: number, step: DeployStepKey, who: string, reason: string): Promise<void> {
  await client.query(
    `INSERT INTO deploy_steps (deploy_id, step, status, checked_by, override_by, override_at, override_reason) VALUES ($1, $2, 'overridden', $3, $3, now(), $4)
     ON CONFLICT (deploy_id, step) DO UPDATE SET status = 'overridden', override_by = $3, override_at = now(), override_reason = $4`,
    [deploy, step, who, reason])
}

export async function setDeployBackup(client: pg.ClientBase, deploy: number, backup: string): Promise<void> {
  await client.query('UPDATE deploys SET backup_id = $2 WHERE id = $1', [deploy, backup])
}

export async function closeDeploy(client: pg.ClientBase, deploy: number, end: { who: string, outcome: DeployOutcome, reason: string | null, restoreJobId: number | null }): Promise<void> {
  await client.query(`UPDATE deploys SET ended_by = $2, ended_at = now(), outcome = $3, end_reason = $4, restore_job_id = $5 WHERE id = $1`,
    [deploy, end.who, end.outcome, end.reason, end.restoreJobId])
  // The start's every entry was kept only to diff against; the counts, hash and difference stay.
  await client.query('UPDATE deploy_privileges SET start_entries = NULL WHERE deploy_id = $1', [deploy])
}

export async function privilegeRow(db: pg.ClientBase | pg.Pool, deploy: number, withEntries = false): Promise<PrivilegeRow | null> {
  const { rows } = await db.query<PrivilegeRow>(
    `SELECT role, start_at AS "startAt", start_counts AS "startCounts", start_hash AS "startHash", ${withEntries ? 'start_entries' : 'NULL'} AS "startEntries",
       diff, ack_by AS "ackBy", ack_at AS "ackAt", ack_reason AS "ackReason" FROM deploy_privileges WHERE deploy_id = $1`, [deploy])
  return rows[0] ? { ...rows[0], startAt: isoOf(rows[0].startAt)!, ackAt: isoOf(rows[0].ackAt) } : null
}

export async function savePrivilegeStart(client: pg.ClientBase, deploy: number, s: { role: string, takenAt: Date, counts: Record<string, number>, hash: string, entries: string[] }): Promise<void> {
  await client.query(`INSERT INTO deploy_privileges (deploy_id, role, start_at, start_counts, start_hash, start_entries) VALUES ($1, $2, $3, $4, $5, $6)`,
    [deploy, s.role, s.takenAt, s.counts, s.hash, s.entries])
}

/** A new difference clears an earlier acknowledgement: it was given for other changes. */
export async function savePrivilegeDiff(client: pg.ClientBase | pg.Pool, deploy: number, diff: Omit<PrivilegeDiff, 'acknowledged'>, keepAck: boolean): Promise<void> {
  await client.query(`UPDATE deploy_privileges SET diff = $2${keepAck ? '' : ', ack_by = NULL, ack_at = NULL, ack_reason = NULL'} WHERE deploy_id = $1`, [deploy, diff])
}

export async function acknowledgePrivileges(client: pg.ClientBase, deploy: number, who: string, reason: string): Promise<void> {
  await client.query('UPDATE deploy_privileges SET ack_by = $2, ack_at = now(), ack_reason = $3 WHERE deploy_id = $1', [deploy, who, reason])
}

/** Backups of the target's deploys still pinned at `now`: open ones, and ended ones for `pinDays` after. */
export async function pinnedBackupRows(db: pg.Pool, target: string, pinDays: number, now: Date): Promise<{ id: number, backup: string, endedAt: string | null }[]> {
  const { rows } = await db.query<{ id: number, backup: string, endedAt: Date | null }>(
    `SELECT id, backup_id AS backup, ended_at AS "endedAt" FROM deploys
     WHERE target = $1 AND backup_id IS NOT NULL AND (ended_at IS NULL OR ended_at + make_interval(days => $2) > $3)`, [target, pinDays, now])
  return rows.map((r) => ({ ...r, endedAt: isoOf(r.endedAt) }))
}

function iso(r: Row): Row {
  return { ...r, startedAt: isoOf(r.startedAt)!, endedAt: isoOf(r.endedAt) }
}

function isoOf(v: unknown): string | null {
  return v instanceof Date ? v.toISOString() : (v as string | null)
}
