import type pg from 'pg'
import { isPendingOrFailed, type MigrationDetail, type MigrationRow, type MigrationRunner, type MigrationsView, type MigrationStatusRow } from '~contract/migrations'
import type { TargetConfig } from '../config/schema'
import { serverVersionNum } from './connection'
import type { MigrationFile } from './discover'
import { isCommandTarget } from './command-run'
import { lintFileLive } from './lint/live'
import { migrationLanguage } from './modules/files'
import { discoverTargetMigrations, targetMigrationStatus, trackerKind } from './target-status'

// Applied migrations are history: only what could still run (or changed since) is linted for the list.
const linted = (row: MigrationStatusRow) => isPendingOrFailed(row) || row.status === 'drifted' || row.status === 'unknown'

export interface LoadedMigrations {
  view: MigrationsView
  /** The files exactly as read for this view: a run applies these bytes, whose checksums the view shows. */
  files: Map<string, MigrationFile>
  serverVersionNum: number
}

/** Reads the directory once, compares it with the tracker, and lints the rows `lint` picks. */
export async function loadMigrations(pool: pg.Pool, target: TargetConfig,
  lint: (row: MigrationStatusRow) => boolean = linted): Promise<LoadedMigrations> {
  const { exists, files, ignored } = await discoverTargetMigrations(target)
  const [status, version] = await Promise.all([targetMigrationStatus(pool, target, files), serverVersionNum(pool)])
  const byName = new Map(files.map((f) => [f.name, f]))
  const migrations: MigrationRow[] = await Promise.all(status.migrations.map(async (row) => {
    const file = byName.get(row.name)
    return { ...row, file: file?.relPath ?? null, findings: file && lint(row) ? await lintFileLive(pool, file, { serverVersionNum: version }) : [] }
  }))
  return {
    view: { dirExists: exists, ignored, tracker: status.tracker, runner: runnerOf(target), migrations },
    files: byName, serverVersionNum: version,
  }
}

/** dbsafe runs what it tracks; an app's migrations run only through the app's own command, never behind its back. */
export function runnerOf(target: TargetConfig): MigrationRunner {
  if (target.migrationsTracker === 'dbsafe') return { via: 'dbsafe', available: true }
  if (isCommandTarget(target)) {
    const cmd = target.migrateCommand
    return { via: 'command', available: true, command: cmd.argv, upTo: cmd.upToArgs !== undefined }
  }
  return {
    via: 'none', available: false,
    reason: `The app records its migrations itself (${trackerKind(target)} tracker), so dbsafe only reads them: running them here would apply them behind the app's back. Configure migrateCommand (the app's own migrate command) to run them from dbsafe.`,
  }
}

export async function migrationsView(pool: pg.Pool, target: TargetConfig): Promise<MigrationsView> {
  return (await loadMigrations(pool, target)).view
}

export async function migrationDetail(pool: pg.Pool, target: TargetConfig, name: string): Promise<MigrationDetail | null> {
  const { view, files } = await loadMigrations(pool, target, (row) => row.name === name)
  const row = view.migrations.find((m) => m.name === name)
  const file = files.get(name)
  return row ? { ...row, sql: file?.text ?? null, language: file ? migrationLanguage(file.relPath) : 'sql' } : null
}
