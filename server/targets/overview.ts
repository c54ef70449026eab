import type pg from 'pg'
import type { Connection, MigrationsSummary, Overview, PrivilegesSummary, TargetIdentity, TargetSummary } from '~contract/targets'
import { isPendingOrFailed, type TrackerState } from '~contract/migrations'
import { backupsSummary, loadBackupFreshness } from '../backups/freshness'
import { errorText } from '../database/error-text'
import { unreachableSince } from '../database/reachability'
import type { TargetConfig } from '../config/schema'
import { appRoleOf } from '../envfile/connection'
import { readEnvFile, type EnvFile } from '../envfile/read'
import { targetSkipMigrations } from '../envfile/skip-migrations'
import { migrationPool } from '../database/target-pool'
import { readTracker } from '../migrations/trackers'
import { migrationsView } from '../migrations/view'
import { sharedPrivilegeReview } from '../privileges/shared-review'
import { targetPool } from '../database/target-pool'

export async function targetOverview(consoleDb: pg.Pool, target: TargetConfig): Promise<Overview> {
  const env = readEnvFile(target.envFile)
  const connection = await probeConnection(target, env)
  const appRole = appRoleOf(target, env)
  const [privileges, migrations, backupFreshness] = await Promise.all([
    connection.ok ? privilegesSummary(target, env, appRole) : null,
    connection.ok ? migrationsSummary(target, env) : null,
    loadBackupFreshness(consoleDb, target),
  ])
  return {
    target: targetIdentity(target), connection, appRole, skipMigrations: targetSkipMigrations(target, env), privileges, migrations,
    backups: backupsSummary(backupFreshness), backupFreshness,
  }
}

export function targetIdentity(t: TargetConfig): TargetIdentity {
  return { id: t.id, label: t.label, environment: t.environment, colour: t.colour ?? null }
}

export async function listTargets(targets: TargetConfig[]): Promise<TargetSummary[]> {
  return Promise.all(targets.map(async (t) => ({
    ...targetIdentity(t), reachable: (await probeConnection(t, readEnvFile(t.envFile))).ok,
  })))
}

// An unreachable target is a fact to show with the driver's reason, never an error that stops the console.
export async function probeConnection(target: TargetConfig, env: EnvFile): Promise<Connection> {
  try {
    const { rows } = await targetPool(target, env).query(`SELECT current_setting('server_version') AS version,
      current_database() AS database, current_user AS "user", pg_database_size(current_database())::float8 AS size`)
    const r = rows[0]
    return { ok: true, serverVersion: r.version, database: r.database, user: r.user, databaseSizeBytes: r.size }
  } catch (err) {
    return { ok: false, error: errorText(err), since: unreachableSince(target.id).toISOString() }
  }
}

async function privilegesSummary(target: TargetConfig, env: EnvFile, role: string | null): Promise<PrivilegesSummary> {
  if (!role) return { error: 'No app role configured' }
  try {
    const { value: review } = await sharedPrivilegeReview(target, env, role)
    if (!review) return { error: `Role "${role}" does not exist` }
    const top = review.findings[0]
    return { role, verdict: review.verdict, topFinding: top ? top.message : null, findings: review.findings.length }
  } catch (err) {
    return { error: errorText(err) }
  }
}

/** Whether the app's own connection can read its tracker (migrations may be read with other credentials). */
async function appTrackerProblem(target: TargetConfig, env: EnvFile, seen: TrackerState): Promise<string | null> {
  const tracker = target.migrationsTracker
  if (tracker === 'dbsafe') return null
  let cause = seen.readable ? null : seen.cause
  if (target.migrationDatabaseUrl) {
    const read = await readTracker(targetPool(target, env), tracker, target.migrationsDir)
    cause = read.ok ? null : read.cause
  }
  return cause && `The app's own connection cannot read its migrations tracker (${cause}). An app that cannot read its tracker may take the database for a new one and run every migration again on its next start.`
}

async function migrationsSummary(target: TargetConfig, env: EnvFile): Promise<MigrationsSummary> {
  try {
    const view = await migrationsView(migrationPool(target), target)
    const count = (s: string) => view.migrations.filter((m) => m.status === s).length
    const waiting = view.migrations.filter(isPendingOrFailed)
    return {
      total: view.migrations.length, applied: count('applied'), pending: count('pending'), failed: count('failed'),
      drifted: count('drifted'), missing: count('missing'),
      destructivePending: waiting.filter((m) => m.findings.some((f) => f.severity === 'destructive' && f.phase !== 'down' && !f.acknowledged)).length,
      unknown: count('unknown'), tracker: view.tracker, appCannotReadTracker: await appTrackerProblem(target, env, view.tracker),
    }
  } catch (err) {
    return { error: errorText(err) }
  }
}
