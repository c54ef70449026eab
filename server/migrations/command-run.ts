import type pg from 'pg'
import type { MigrationRow } from '~contract/migrations'
import { isSecretKey } from '../audit/record'
import type { MigrateCommand, TargetConfig } from '../config/schema'
import { readEnvFile } from '../envfile/read'
import type { JobContext } from '../jobs/run'
import { commandEnvironment } from './command/environment'
import { runMigrateCommand } from './command/run'
import { appliedIds } from './target-status'
import type { AppTracker } from './trackers'

export type CommandTarget = TargetConfig & { migrationsTracker: AppTracker, migrateCommand: MigrateCommand }

/** The app records its own migrations and names the command that applies them: Run runs that command. */
export const isCommandTarget = (target: TargetConfig): target is CommandTarget =>
  target.migrationsTracker !== 'dbsafe' && target.migrateCommand !== undefined
export interface CommandRunResult { applied: string[], failedIn?: string, exitCode: number | null }

/** The app's command failed: `result` says what it applied before (such runners are rarely transactional). */
export class MigrateCommandFailedError extends Error {
  constructor(message: string, readonly result: CommandRunResult) {
    super(message)
    this.name = 'MigrateCommandFailedError'
  }
}

const POLL_MS = 2000
// A chatty command (a build step, a progress bar) must not fill the console database; its last error line is kept apart.
const MAX_LOG_LINES = 5000

/**
 * Runs the app's own migrate command for the `run` rows (the pending migrations in the app's order) and
 * reads the app's tracker before, during and after it: the tracker, not the command's words, says what was
 * applied. The caller holds the target's migration lock.
 */
export async function runThroughCommand(pool: pg.Pool, target: CommandTarget, run: MigrationRow[], opts: { upTo?: string },
  ctx: JobContext): Promise<CommandRunResult> {
  const cmd = target.migrateCommand
  const ids = run.map(idOf)
  const before = new Set(await appliedIds(pool, target))
  const newlyApplied = (after: string[]) => after.filter((id) => !before.has(id))
  ctx.progress({ done: 0, total: ids.length })
  // Progress from the tracker, which the app writes after each migration: the output has no common shape.
  const poll = setInterval(() => {
    void appliedIds(pool, target).then((after) => {
      const applied = newlyApplied(after)
      ctx.progress({ done: applied.length, ...(applied.length ? { message: `applied ${applied.at(-1)}` } : {}) })
    }, () => {})
  }, POLL_MS)
  const env = readEnvFile(target.envFile)
  const upTo = opts.upTo === undefined ? undefined : idOf(run.find((r) => r.name === opts.upTo)!)
  ctx.log(`$ ${cmd.argv.join(' ')}${upTo ? ` (up to ${upTo})` : ''} in ${cmd.cwd}`)
  let result
  let kept = 0
  try {
    result = await runMigrateCommand(cmd, {
      env: commandEnvironment(env.values, cmd), secrets: secretsOf(target, env.values), upTo,
      onLine: (line) => {
        if (kept++ < MAX_LOG_LINES) ctx.log(line.stream === 'stderr' ? `stderr: ${line.text}` : line.text)
      },
    })
  } finally {
    clearInterval(poll)
  }
  if (kept > MAX_LOG_LINES) ctx.log(`… ${kept - MAX_LOG_LINES} more line(s) of output not kept`)
  const applied = newlyApplied(await appliedIds(pool, target))
  ctx.progress({ done: applied.length, ...(applied.length ? { message: `applied ${applied.at(-1)}` } : {}) })
  if (result.exitCode === 0 && !result.timedOut) {
    const left = ids.filter((id) => !applied.includes(id) && !before.has(id))
    if (left.length && !upTo) ctx.log(`The command succeeded but the tracker still lacks ${left.join(', ')}`)
    return { applied, exitCode: 0 }
  }
  const failedIn = ids.find((id) => !applied.includes(id) && !before.has(id))
  const why = result.timedOut
    ? `the command ran longer than ${cmd.timeoutMinutes} min and was stopped`
    : result.lastErrorLine ?? `the command exited with ${result.exitCode ?? result.signal}`
  const where = failedIn ? `failing in ${failedIn}` : 'failing'
  const message = applied.length ? `applied ${applied.join(', ')} before ${where}: ${why}` : `${where[0].toUpperCase()}${where.slice(1)} before applying anything: ${why}`
  throw new MigrateCommandFailedError(message, { applied, exitCode: result.exitCode, ...(failedIn ? { failedIn } : {}) })
}

const idOf = (row: MigrationRow): string => row.id ?? row.name

/** Values the command's output must never show: the env file's secret-looking values and the target URLs' passwords. */
function secretsOf(target: TargetConfig, values: Record<string, string>): string[] {
  const urls = [target.databaseUrl, target.migrationDatabaseUrl, target.backupDatabaseUrl, target.restoreDatabaseUrl, target.restoreTestUrl]
  const fromUrls = urls.flatMap((u) => {
    try {
      return u ? [decodeURIComponent(new URL(u).password)] : []
    } catch {
      return []
    }
  })
  return [...Object.entries(values).filter(([k]) => isSecretKey(k)).map(([, v]) => v), ...fromUrls].filter(Boolean)
}
