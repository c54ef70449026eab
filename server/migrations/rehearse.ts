import type pg from 'pg'
import { isDriftedOrMissing, isPendingOrFailed } from '~contract/migrations'
import type { Rehearsal } from '~contract/rehearsal'
import { restoreInto } from '../backups/restore'
import { restoreServer, withClient, withScratchDatabase } from '../backups/scratch'
import type { TargetConfig } from '../config/schema'
import type { JobContext } from '../jobs/run'
import { migrationPool } from '../database/target-pool'
import { serverVersionNum } from './connection'
import { discoverMigrations } from './discover'
import { chooseBackup, RehearsalRefusedError, type ChosenBackup } from './rehearsal-backup'
import { rehearseSteps, type RehearsalPlan } from './rehearsal-steps'
import { saveRehearsal } from './rehearsal-store'
import { migrationStatus } from './status'

export interface RehearseOptions {
  /** Server for the scratch database; default: the target's restoreTestUrl, else its own server (see restoreServer). */
  restoreTestUrl?: string
  /** Rehearse on this backup; default: the newest verified one, else the newest unverified one. */
  backupId?: string
  /** The backup already chosen (and hashed) when the job was planned: not chosen and hashed again. */
  chosen?: ChosenBackup
  binDir?: string | null
  who?: string | null
  signal?: AbortSignal
}

/**
 * Rehearses the target's pending migrations on a copy: restores a usable backup into a scratch database
 * (as the restore role, which cannot escalate), applies the migrations there with dbsafe's runner, and
 * records per migration its duration, its error, and the locks it held at its end. The real target is only
 * read; the scratch database is dropped whatever happens. Throws RehearsalRefusedError when there is
 * nothing to rehearse or no backup to rehearse on; a failing migration is a result, not an error.
 */
export async function rehearseMigrations(consoleDb: pg.Pool, target: TargetConfig, opts: RehearseOptions, ctx: JobContext): Promise<Rehearsal> {
  const startedAt = new Date().toISOString()
  const plan = await planRehearsal(target)
  const { path, backup } = opts.chosen ?? await chooseBackup(consoleDb, target, opts.backupId)
  const server = await restoreServer(target, { restoreTestUrl: opts.restoreTestUrl ?? target.restoreTestUrl, databaseUrl: target.backupDatabaseUrl })
  ctx.log(`rehearsing ${[...plan.pending].join(', ')} on a copy of ${backup.id} (${backup.status}, sha256 ${backup.sha256.slice(0, 12)}…)`)
  const { restoreMs, migrations } = await withScratchDatabase(server, ctx, async (scratch) => {
    const restoring = Date.now()
    await restoreInto({ path, format: backup.format, scratch, binDir: opts.binDir, ctx, signal: opts.signal })
    const restoreMs = Date.now() - restoring
    ctx.log(`restored in ${restoreMs} ms`)
    return { restoreMs, migrations: await withClient(scratch, (c) => rehearseSteps(c, target, plan, ctx, opts.signal)) }
  })
  return saveRehearsal(consoleDb, {
    target: target.id, ok: migrations.every((m) => m.status !== 'failed'), startedAt, finishedAt: new Date().toISOString(),
    server: server.kind, backup, restoreMs, migrations, createdBy: opts.who ?? null,
  })
}

/** What the target's next run would apply, read (never written) from its tracking table; refuses what a run would refuse. */
export async function planRehearsal(target: TargetConfig): Promise<RehearsalPlan> {
  if (target.migrationsTracker !== 'dbsafe') {
    throw new RehearsalRefusedError(`"${target.id}" runs its migrations with the app's own tool; dbsafe rehearses only the migrations it runs itself`, 'app-tracker')
  }
  const { exists, files } = await discoverMigrations(target.migrationsDir)
  if (!exists) throw new RehearsalRefusedError(`The migrations dir ${target.migrationsDir} of "${target.id}" does not exist`, 'no-migrations-dir')
  const pool = migrationPool(target)
  const [status, version] = await Promise.all([migrationStatus(pool, target.migrationsTable, files), serverVersionNum(pool)])
  const broken = status.migrations.filter(isDriftedOrMissing)
  if (broken.length) {
    throw new RehearsalRefusedError(`A run on "${target.id}" would be refused, so there is nothing to rehearse: `
      + `${broken.map((r) => `${r.name} is ${r.status}`).join(', ')}. Restore the applied files exactly as they ran.`, 'drift')
  }
  const pending = status.migrations.filter(isPendingOrFailed).map((r) => r.name)
  if (!pending.length) throw new RehearsalRefusedError(`There are no pending migrations to rehearse on "${target.id}"`, 'nothing-pending')
  return { files, pending: new Set(pending), serverVersionNum: version }
}
