import type pg from 'pg'
import { isDriftedOrMissing, isPendingOrFailed } from '~contract/migrations'
import { listBackups } from '../backups/inventory'
import { backupAgeMs, newestVerifiedBackup } from '../backups/newest'
import { connectionUse } from '../checklists/auto/connections-headroom'
import type { ListBackups } from '../checklists/auto/context'
import type { TargetConfig } from '../config/schema'
import { appRoleOf } from '../envfile/connection'
import { readEnvFile } from '../envfile/read'
import { migrationPool } from '../database/target-pool'
import { discoverTargetMigrations, targetMigrationStatus } from '../migrations/target-status'
import { privilegeReview } from '../privileges/review'
import { targetPool } from '../database/target-pool'
import type { Gauge } from './format'

interface TargetSample {
  reachable: number
  connectionsRatio?: number
  pending?: number
  drifted?: number
  appRoleUnsafe?: number
  backupAgeSeconds?: number
}

const GAUGES: { name: string, help: string, pick: (s: TargetSample) => number | undefined }[] = [
  { name: 'dbsafe_target_reachable', help: '1 when the console can query the target database, else 0', pick: (s) => s.reachable },
  { name: 'dbsafe_newest_verified_backup_age_seconds', help: 'Age of the newest restore-tested backup; +Inf when there is none',
    pick: (s) => s.backupAgeSeconds },
  { name: 'dbsafe_migrations_pending', help: 'Migration files not applied yet (pending or failed)', pick: (s) => s.pending },
  { name: 'dbsafe_migrations_drifted', help: 'Applied migrations whose file changed (drifted) or is gone (missing)', pick: (s) => s.drifted },
  { name: 'dbsafe_app_role_unsafe', help: '1 when the app role can drop or wipe data (privileges verdict unsafe), else 0', pick: (s) => s.appRoleUnsafe },
  { name: 'dbsafe_connections_used_ratio', help: 'Client connections divided by max_connections', pick: (s) => s.connectionsRatio },
]

/** One gauge set over every target; a value that cannot be read right now is left out rather than guessed. */
export async function collectGauges(consoleDb: pg.Pool, targets: TargetConfig[], opts: { now?: Date, listBackups?: ListBackups } = {}): Promise<Gauge[]> {
  const samples = await Promise.all(targets.map(async (t) => [t.id, await sampleTarget(consoleDb, t, opts)] as const))
  return GAUGES.map((g) => ({
    name: g.name, help: g.help,
    samples: samples.flatMap(([target, s]) => {
      const value = g.pick(s)
      return value === undefined ? [] : [{ labels: { target }, value }]
    }),
  }))
}

async function sampleTarget(consoleDb: pg.Pool, target: TargetConfig, opts: { now?: Date, listBackups?: ListBackups }): Promise<TargetSample> {
  const now = opts.now ?? new Date()
  const env = await attempt(async () => readEnvFile(target.envFile))
  const use = env && await attempt(() => connectionUse(targetPool(target, env)))
  const sample: TargetSample = { reachable: use ? 1 : 0 }
  const backups = await attempt(() => (opts.listBackups ?? listBackups)(consoleDb, target))
  if (backups) {
    const newest = newestVerifiedBackup(backups)
    sample.backupAgeSeconds = newest ? Math.max(0, Math.round(backupAgeMs(newest, now) / 1000)) : Infinity
  }
  if (!use || !env) return sample
  sample.connectionsRatio = Number(use.ratio.toFixed(4))
  const status = await attempt(async () => targetMigrationStatus(migrationPool(target), target, (await discoverTargetMigrations(target)).files))
  if (status) {
    sample.pending = status.migrations.filter(isPendingOrFailed).length
    sample.drifted = status.migrations.filter(isDriftedOrMissing).length
  }
  const role = appRoleOf(target, env)
  const review = role ? await attempt(() => privilegeReview(targetPool(target, env), role)) : null
  if (review) sample.appRoleUnsafe = review.verdict === 'unsafe' ? 1 : 0
  return sample
}

async function attempt<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn()
  } catch {
    return null
  }
}
