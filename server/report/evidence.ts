import type pg from 'pg'
import type { BackupEntry, BackupFreshness } from '~contract/backups'
import type { ChecklistRun, GateResult } from '~contract/checklists'
import type { Deploy } from '~contract/deploys'
import type { MigrationsView } from '~contract/migrations'
import type { PrivilegeReview } from '~contract/privileges'
import type { Connection, SkipMigrationsState, TargetIdentity } from '~contract/targets'
import { listBackups } from '../backups/inventory'
import { backupFreshness, backupMaxAgeHours } from '../backups/newest'
import { evaluateGate } from '../checklists/gate'
import { getRun, runHistory } from '../checklists/runs'
import type { TargetConfig } from '../config/schema'
import { errorText } from '../database/error-text'
import { migrationPool, targetPool } from '../database/target-pool'
import { appRoleOf } from '../envfile/connection'
import { readEnvFile } from '../envfile/read'
import { targetSkipMigrations } from '../envfile/skip-migrations'
import { migrationsView } from '../migrations/view'
import { privilegeReview } from '../privileges/review'
import { probeConnection, targetIdentity } from '../targets/overview'

/** A fact with the moment it was read; a fact that could not be read is the reason, never a guess. */
export type Observed<T> = { at: string } & ({ ok: true, value: T } | { ok: false, error: string })

export interface ReportEvidence {
  target: TargetIdentity
  generatedAt: string
  generatedBy: string
  settings: Pick<TargetConfig, 'envFile' | 'migrationsDir' | 'backupsDir' | 'retentionDays' | 'backupKeepMin' | 'preMigrationBackupMaxAgeMinutes'>
  gate: Observed<GateResult>
  connection: Observed<Connection>
  appRole: string | null
  /** null value: the app role does not exist on the server. */
  privileges: Observed<PrivilegeReview | null>
  skipMigrations: Observed<SkipMigrationsState>
  migrations: Observed<MigrationsView>
  backups: Observed<{ entries: BackupEntry[], freshness: BackupFreshness }>
  /** The newest pre-deploy and post-deploy checklist runs with their items, newest first. */
  checklists: Observed<ChecklistRun[]>
  /** The deploy the report is for, when it is for one: its steps, who overrode what and why, the privileges difference. */
  deploy: { at: string, value: Deploy } | null
}

async function observe<T>(read: () => Promise<T> | T): Promise<Observed<T>> {
  try {
    const value = await read()
    return { at: new Date().toISOString(), ok: true, value }
  } catch (err) {
    return { at: new Date().toISOString(), ok: false, error: errorText(err) }
  }
}

/** Reads everything the report claims, each part on its own: one part that cannot be read does not hide the rest. */
export async function gatherEvidence(consoleDb: pg.Pool, target: TargetConfig, generatedBy: string, deploy?: Deploy): Promise<ReportEvidence> {
  const deployAt = new Date().toISOString()
  const env = await observe(() => readEnvFile(target.envFile))
  const envOf = () => {
    if (!env.ok) throw new Error(`the env file cannot be read: ${env.error}`)
    return env.value
  }
  const appRole = env.ok ? appRoleOf(target, env.value) : null
  // The gate and the files need no probe: started first, a target that is down costs one connect timeout, not two.
  const early = Promise.all([
    observe(() => evaluateGate(consoleDb, target, 'pre')),
    observe(async () => {
      const entries = await listBackups(consoleDb, target)
      return { entries, freshness: backupFreshness(entries, backupMaxAgeHours(target.checklists), new Date()) }
    }),
    observe(() => latestRuns(consoleDb, target)),
  ])
  const connection = await observe(() => probeConnection(target, envOf()))
  const reachable = connection.ok && connection.value.ok
  const unreachable = () => {
    throw new Error(connection.ok && !connection.value.ok ? `the database cannot be reached: ${connection.value.error}` : 'the database cannot be reached')
  }
  const [[gate, backups, checklists], privileges, migrations] = await Promise.all([
    early,
    observe(() => {
      if (!reachable) return unreachable()
      if (!appRole) throw new Error(`no app role: set "appRole" for ${target.id} or DB_USER in ${target.envFile}`)
      return privilegeReview(targetPool(target, envOf()), appRole)
    }),
    observe(() => (reachable ? migrationsView(migrationPool(target), target) : unreachable())),
  ])
  return {
    target: targetIdentity(target), generatedAt: new Date().toISOString(), generatedBy,
    settings: {
      envFile: target.envFile, migrationsDir: target.migrationsDir, backupsDir: target.backupsDir, retentionDays: target.retentionDays,
      backupKeepMin: target.backupKeepMin, preMigrationBackupMaxAgeMinutes: target.preMigrationBackupMaxAgeMinutes,
    },
    gate, connection, appRole, privileges, migrations, backups, checklists,
    deploy: deploy ? { at: deployAt, value: deploy } : null,
    skipMigrations: await observe(() => targetSkipMigrations(target, envOf())),
  }
}

async function latestRuns(consoleDb: pg.Pool, target: TargetConfig): Promise<ChecklistRun[]> {
  const history = await runHistory(consoleDb, target)
  const latest = (['pre', 'post'] as const).flatMap((phase) => history.find((r) => r.phase === phase) ?? [])
  return Promise.all(latest.map((r) => getRun(consoleDb, target, r.id)))
}
