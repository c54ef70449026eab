import type pg from 'pg'
import type { TargetConfig } from '../config/schema'
import { migrationPool } from '../database/target-pool'
import { JOB_LOCK_NAMESPACE } from '../jobs/sessions'
import { MIGRATION_SESSION_PREFIX } from './session'
import { JOB_KIND, MIGRATION_LOCK_KEY } from './start-run'

export interface EndedStatement { target: string, jobId: number, pid: number, query: string }

/**
 * At start-up: a dbsafe migration session on a target that holds the migration lock while no live console holds its
 * job's lock was left by a dead console (e.g. PostgreSQL 13, which has no client_connection_check_interval, or a
 * console whose connection has not been seen to drop): it is ended with pg_terminate_backend, and its job's log and
 * error say which statement was ended. A target that cannot be reached is skipped.
 */
export async function endOrphanedMigrations(consoleDb: pg.Pool, targets: TargetConfig[]): Promise<EndedStatement[]> {
  const ended: EndedStatement[] = []
  for (const target of targets) {
    try {
      ended.push(...await endOrphans(consoleDb, target))
    } catch {
      // Unreachable or misconfigured: its pages say so; nothing of ours can be running there then either.
    }
  }
  return ended
}

async function endOrphans(consoleDb: pg.Pool, target: TargetConfig): Promise<EndedStatement[]> {
  const pool = migrationPool(target)
  const { rows } = await pool.query<{ pid: number, name: string, query: string }>(
    `SELECT a.pid, a.application_name AS name, a.query FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = $1
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND a.application_name LIKE $2`,
    [MIGRATION_LOCK_KEY, `${MIGRATION_SESSION_PREFIX}:%`])
  const ended: EndedStatement[] = []
  for (const row of rows) {
    const jobId = Number(row.name.slice(MIGRATION_SESSION_PREFIX.length + 1))
    if (!Number.isInteger(jobId) || !await orphaned(consoleDb, target, jobId)) continue
    const { rows: [done] } = await pool.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [row.pid])
    if (!done?.ok) continue
    ended.push({ target: target.id, jobId, pid: row.pid, query: row.query })
    const line = `A console start-up ended the statement this run left running on the target (backend ${row.pid}): ${row.query}`
    await consoleDb.query(`INSERT INTO job_logs (job_id, line) VALUES ($1, $2)`, [jobId, line])
    await consoleDb.query(`UPDATE jobs SET error = coalesce(error, '') || '; ended: ' || $2 WHERE id = $1`,
      [jobId, `the statement left running on the target (backend ${row.pid})`])
  }
  return ended
}

// Only a run of this console database's own (another deployment's sessions are not ours to judge) whose lock is gone.
async function orphaned(consoleDb: pg.Pool, target: TargetConfig, jobId: number): Promise<boolean> {
  const { rows } = await consoleDb.query<{ orphaned: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM jobs WHERE id = $2 AND kind = $3 AND target = $4) AND NOT EXISTS (
       SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = $2 AND objsubid = 2
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS orphaned`,
    [JOB_LOCK_NAMESPACE, jobId, JOB_KIND, target.id])
  return rows[0].orphaned
}
