import type pg from 'pg'
import type { MigrationDetail, MigrationsView } from '../../contract/migrations'
import type { TargetConfig } from '../config/schema'
import { serverVersionNum } from './connection'
import { discoverMigrations } from './discover'
import { lintSqlLive } from './lint/live'
import { migrationStatus } from './status'

// Applied migrations are history: only what could still run (or changed since) is linted for the list.
const LINTED = new Set(['pending', 'failed', 'drifted'])

export async function migrationsView(pool: pg.Pool, target: TargetConfig): Promise<MigrationsView> {
  const { exists, files, ignored } = await discoverMigrations(target.migrationsDir)
  const status = await migrationStatus(pool, target.migrationsTable, files)
  const version = await serverVersionNum(pool)
  const sqlOf = new Map(files.map((f) => [f.name, f.sql]))
  const migrations = await Promise.all(status.migrations.map(async (row) => ({
    ...row,
    findings: LINTED.has(row.status) ? await lintSqlLive(pool, sqlOf.get(row.name)!, { serverVersionNum: version }) : [],
  })))
  return { dirExists: exists, ignored, tableExists: status.tableExists, migrations }
}

export async function migrationDetail(pool: pg.Pool, target: TargetConfig, name: string): Promise<MigrationDetail | null> {
  const view = await migrationsView(pool, target)
  const row = view.migrations.find((m) => m.name === name)
  if (!row) return null
  const file = (await discoverMigrations(target.migrationsDir)).files.find((f) => f.name === name)
  const findings = file && row.findings.length === 0 && row.status !== 'missing'
    ? await lintSqlLive(pool, file.sql, { serverVersionNum: await serverVersionNum(pool) })
    : row.findings
  return { ...row, findings, sql: file?.sql ?? null }
}
