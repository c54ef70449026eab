import type pg from 'pg'
import { isPendingOrFailed, type MigrationDetail, type MigrationRow, type MigrationsView, type MigrationStatusRow } from '~contract/migrations'
import type { TargetConfig } from '../config/schema'
import { serverVersionNum } from './connection'
import { discoverMigrations, type MigrationFile } from './discover'
import { lintSqlLive } from './lint/live'
import { migrationStatus } from './status'

// Applied migrations are history: only what could still run (or changed since) is linted for the list.
const linted = (row: MigrationStatusRow) => isPendingOrFailed(row) || row.status === 'drifted'

export interface LoadedMigrations {
  view: MigrationsView
  /** The files exactly as read for this view: a run applies these bytes, whose checksums the view shows. */
  files: Map<string, MigrationFile>
  serverVersionNum: number
}

/** Reads the directory once, compares it with the tracking table, and lints the rows `lint` picks. */
export async function loadMigrations(pool: pg.Pool, target: TargetConfig,
  lint: (row: MigrationStatusRow) => boolean = linted): Promise<LoadedMigrations> {
  const { exists, files, ignored } = await discoverMigrations(target.migrationsDir)
  const [status, version] = await Promise.all([migrationStatus(pool, target.migrationsTable, files), serverVersionNum(pool)])
  const byName = new Map(files.map((f) => [f.name, f]))
  const migrations: MigrationRow[] = await Promise.all(status.migrations.map(async (row) => {
    const file = byName.get(row.name)
    return { ...row, findings: file && lint(row) ? await lintSqlLive(pool, file.sql, { serverVersionNum: version }) : [] }
  }))
  return { view: { dirExists: exists, ignored, tableExists: status.tableExists, migrations }, files: byName, serverVersionNum: version }
}

export async function migrationsView(pool: pg.Pool, target: TargetConfig): Promise<MigrationsView> {
  return (await loadMigrations(pool, target)).view
}

export async function migrationDetail(pool: pg.Pool, target: TargetConfig, name: string): Promise<MigrationDetail | null> {
  const { view, files } = await loadMigrations(pool, target, (row) => row.name === name)
  const row = view.migrations.find((m) => m.name === name)
  return row ? { ...row, sql: files.get(name)?.sql ?? null } : null
}
