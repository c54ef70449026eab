import type { BackupTableCount } from '~contract/backups'
import type { EmergencyRestoreResult, RestoreStep } from '~contract/restore'
import { restoreInto } from '../backups/restore'
import { withClient } from '../backups/scratch'
import { compareTables, tableCounts } from '../backups/table-counts'
import { takeBackup } from '../backups/take'
import type { TargetConfig } from '../config/schema'
import { targetSkipMigrations } from '../envfile/skip-migrations'
import { setTargetSkipMigrations } from '../envfile/toggle'
import type { JobContext } from '../jobs/run'
import { createDatabaseSql } from './database'
import { dumpTableCounts } from './dump-tables'
import { restoreStamp } from './names'
import { NamesTakenError, preflight, type Preflight } from './preflight'
import { recreatePrivileges } from './privileges-apply'
import { withRestoreSession, type RestoreSession, type SessionOptions } from './session'
import { Steps } from './steps'
import { dropDatabase, swapDatabases } from './swap'

export interface EmergencyRestoreOptions extends SessionOptions {
  /** PostgreSQL client binaries; default: the newest installed. */
  binDir?: string | null
  /** Who asked; recorded on the safety backup. */
  who?: string | null
  /** Stops the restore before the swap; once the swap has begun it completes or rolls back on its own. */
  signal?: AbortSignal
  now?: Date
  /** Hears each step as it ends, ok or failed. */
  onStep?: (step: RestoreStep) => void
}

/** The restore did not happen; `result` says how far it got. The live database is untouched. */
export class EmergencyRestoreError extends Error {
  constructor(message: string, readonly result: EmergencyRestoreResult) {
    super(message)
    this.name = 'EmergencyRestoreError'
  }
}

/**
 * Puts backup `backupId` in place of the target's live database: SKIP_MIGRATIONS to exactly `true`, a safety
 * backup, a restore into `<db>_restore_<stamp>` as the restore role, tables and exact row counts checked,
 * the live owners and privileges recreated there (last, so the live catalog is read just before the swap),
 * then one transaction renames the live database to `<db>_before_restore_<stamp>` and the restored one to
 * `<db>`. Until that transaction commits the live database is untouched; on any failure the restored copy
 * is dropped and EmergencyRestoreError thrown.
 */
export async function emergencyRestore(target: TargetConfig, backupId: string, opts: EmergencyRestoreOptions, ctx: JobContext): Promise<EmergencyRestoreResult> {
  const started = Date.now()
  let stamp = restoreStamp(opts.now ?? new Date())
  const steps = new Steps(['preflight', 'skip-migrations', 'safety-backup', 'restore', 'counts', 'privileges', 'swap'], ctx, opts.onStep)
  const result: EmergencyRestoreResult = {
    ok: false, target: target.id, backup: backupId, stamp, database: '', restoredInto: '', setAside: null,
    skipMigrations: { before: null, changed: false, envBackup: null }, safetyBackup: null, comparedWith: null, tables: [],
    privileges: null, swap: null, notes: [], steps: steps.list, durationMs: 0,
  }
  steps.begin('preflight', `checking the restore role, the backup ${backupId} and the live database`)
  try {
    await withRestoreSession(target, opts, 'hold', async (s) => {
      let pre: Preflight | null = null
      // Names carry the second: a restore right after another (or an undo) waits for the next one.
      for (let attempt = 0; !pre; attempt++) {
        try {
          pre = await preflight(s, target, backupId, stamp, opts.binDir)
        } catch (err) {
          if (!(err instanceof NamesTakenError) || opts.now || attempt >= 2) throw err
          await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 10))
          stamp = result.stamp = restoreStamp(new Date())
        }
      }
      Object.assign(result, { database: s.database, restoredInto: pre.names.restore, comparedWith: pre.manifest ? 'manifest' : 'dump' })
      result.notes.push(...pre.notes)
      steps.end(`${pre.format} backup${pre.manifest ? ' with a manifest, sha256 matches' : ', no manifest'}; restoring as "${s.role}"`)
      await skipMigrations(target, result, steps)
      opts.signal?.throwIfAborted()
      steps.begin('safety-backup', `backing up "${s.database}" as it is now`)
      const safety = await takeBackup(target, {
        format: target.backupFormat, compress: target.backupCompress, databaseUrl: target.backupDatabaseUrl,
        label: 'before emergency restore', binDir: opts.binDir, signal: opts.signal,
      }, steps.context('safety-backup'), opts.who ?? null)
      result.safetyBackup = { file: safety.file, sizeBytes: safety.sizeBytes }
      steps.end(`${safety.file} (${safety.sizeBytes} bytes)`)
      await restoreAndSwap(s, pre, opts, steps, result)
    })
  } catch (err) {
    steps.fail(err)
    result.error = (err as Error).message
    result.durationMs = Date.now() - started
    throw new EmergencyRestoreError(result.error, result)
  }
  result.ok = true
  result.durationMs = Date.now() - started
  ctx.log(`restored ${backupId} into "${result.database}"; the previous database is kept as "${result.setAside}"`)
  return result
}

async function skipMigrations(target: TargetConfig, result: EmergencyRestoreResult, steps: Steps): Promise<void> {
  steps.begin('skip-migrations', 'the restored schema must not be migrated by a restarting app')
  // The process manager's environment counts too: a systemd or PM2 `false` would migrate the restored schema.
  const state = targetSkipMigrations(target)
  result.skipMigrations.before = state.value
  if (state.effective) return steps.end('SKIP_MIGRATIONS is already exactly "true"')
  const { backup } = setTargetSkipMigrations(target, true)
  Object.assign(result.skipMigrations, { changed: true, envBackup: backup })
  steps.end(`SKIP_MIGRATIONS was ${state.value === null ? 'not set' : JSON.stringify(state.value)}, now exactly "true" (previous file kept as ${backup})`)
}

async function restoreAndSwap(s: RestoreSession, pre: Preflight, opts: EmergencyRestoreOptions, steps: Steps, result: EmergencyRestoreResult): Promise<void> {
  const newName = pre.names.restore
  let created = false
  try {
    steps.begin('restore', `restoring into "${newName}" as "${s.role}"`)
    await s.client.query(createDatabaseSql(newName, pre.live.database))
    created = true
    const restoring = restoreInto({ path: pre.path, format: pre.format, scratch: s.on(newName), binDir: opts.binDir, ctx: steps.context('restore'), signal: opts.signal })
    // Without a manifest the dump's own COPY blocks are the expectation, read alongside the restore.
    const declared: Promise<BackupTableCount[]> = pre.manifest ? Promise.resolve(pre.manifest.tables) : dumpTableCounts(pre.path, pre.format, opts.binDir, opts.signal)
    const [read, restoredOk] = await Promise.allSettled([declared, restoring])
    if (restoredOk.status === 'rejected') throw restoredOk.reason
    if (read.status === 'rejected') throw new Error(`Could not read which tables the dump holds: ${(read.reason as Error).message}`, { cause: read.reason })
    const expected = read.value
    steps.end(`${pre.format} backup restored`)

    steps.begin('counts', `comparing tables and exact row counts with the ${pre.manifest ? 'manifest' : 'dump'}`)
    const restored = await withClient(s.on(newName), tableCounts)
    const comparison = compareTables(expected, restored, pre.manifest ? 'manifest' : 'dump')
    result.tables = comparison.tables
    // Against the backup's own record, an extra table is as wrong as a missing one.
    const differences = [...comparison.failures, ...comparison.notes]
    if (differences.length) throw new Error(`The restored database does not match the ${pre.manifest ? 'manifest' : 'dump'}: ${differences.join('; ')}`)
    steps.end(`${restored.length} tables, ${restored.reduce((n, t) => n + t.rows, 0)} rows, all as expected`)

    steps.begin('privileges', `recreating the owners and privileges of "${s.database}"`)
    const privileges = await recreatePrivileges(s, newName, steps.context('privileges'))
    result.privileges = { ownerChanges: privileges.ownerChanges, grants: privileges.grants, statements: privileges.statements }
    result.notes.push(...privileges.notes)
    steps.end(`${privileges.ownerChanges} owners and ${privileges.grants} grants recreated; owners and privileges match the live database`)

    opts.signal?.throwIfAborted()
    steps.begin('swap', `ending sessions on "${s.database}" and swapping it with "${newName}"`)
    result.swap = await swapDatabases(s, [[s.database, pre.names.beforeRestore], [newName, s.database]], steps.context('swap'))
    result.setAside = pre.names.beforeRestore
    steps.end(`"${s.database}" is the restored database; the previous one is "${pre.names.beforeRestore}"`)
  } catch (err) {
    if (created) await dropRestored(s, newName, steps, err as Error)
    throw err
  }
}

async function dropRestored(s: RestoreSession, name: string, steps: Steps, err: Error): Promise<void> {
  try {
    await dropDatabase(s.config, name)
    steps.context('restore').log(`dropped "${name}"; the live database was not touched`)
  } catch (dropErr) {
    err.message += `. The restored copy "${name}" could not be dropped (${(dropErr as Error).message}): drop it from the leftovers list`
  }
}
