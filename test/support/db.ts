import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import pg from 'pg'
import { inject } from 'vitest'
import { clusterFromUrl } from '~scripts/pg-cluster'
import { migrateConsole } from '~server/database/migrate-console'

export const cluster = () => clusterFromUrl(inject('clusterUrl'))

/** A fresh database for one test file (databases per file, one cluster per run). */
export async function createTestDatabase(label: string): Promise<{ name: string, url: string, pool: pg.Pool, drop: () => Promise<void> }> {
  const c = cluster()
  const name = `t_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client(c.adminUrl)
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = c.urlFor(name)
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  return {
    name, url, pool,
    drop: async () => {
      // pool.end() resolves before its clients' sockets close; DROP ... WITH (FORCE) may terminate one that is
      // still closing, and the pool re-emits that as an 'error' event, which uncaught would fail the test file.
      pool.on('error', () => {})
      await pool.end()
      const a = new pg.Client(c.adminUrl)
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}

/** Drops every schema of a test database and recreates an empty public: a fresh database without creating one. */
export async function emptyDatabase(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query(`SELECT quote_ident(nspname) AS name FROM pg_namespace
    WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'`)
  await pool.query(`${rows.length ? `DROP SCHEMA ${rows.map((r) => r.name).join(', ')} CASCADE;` : ''} CREATE SCHEMA public`)
}

/** One query on its own connection (closed again), e.g. reading the audit log or the cluster's databases. */
export async function queryRows(url: string, sql: string, params?: unknown[]): Promise<any[]> {
  const client = new pg.Client(url)
  await client.connect()
  try { return (await client.query(sql, params)).rows } finally { await client.end() }
}

/** Runs statements as the cluster superuser on the given database. */
export async function asSuperuser(url: string, sql: string): Promise<void> {
  await queryRows(url, sql)
}

/** A fresh console state database, migrated as the console migrates it at start-up. */
export async function createConsoleDatabase(label: string) {
  const db = await createTestDatabase(label)
  await migrateConsole(db.pool)
  return db
}

/** The bytes `pg_dump` writes for a database, as the seed's nightly script runs it (password in the environment). */
export function pgDump(database: string, args: string[] = []): Buffer {
  const c = cluster()
  const u = new URL(c.adminUrl)
  const res = spawnSync(join(c.binDir, 'pg_dump'), ['-h', u.hostname, '-p', String(c.port), '-U', decodeURIComponent(u.username), ...args, database],
    { env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) }, maxBuffer: 1 << 28 })
  if (res.status !== 0) throw new Error(res.stderr.toString())
  return res.stdout
}

/**
 * A login role that may create databases and nothing more: what restores must run as
 * (server/backups/restore-role.ts). One per test file; its URL points at the cluster's postgres database.
 */
export async function createRestoreRole(): Promise<{ role: string, url: string, drop: () => Promise<void> }> {
  const c = cluster()
  const role = `restore_${randomBytes(4).toString('hex')}`
  const password = randomBytes(12).toString('hex')
  await asSuperuser(c.adminUrl, `CREATE ROLE ${role} LOGIN CREATEDB PASSWORD '${password}'`)
  return { role, url: c.urlFor('postgres', role, password), drop: () => asSuperuser(c.adminUrl, `DROP ROLE IF EXISTS ${role}`) }
}
