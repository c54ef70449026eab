import type pg from 'pg'
import { consoleMigrations } from './console-schema'

// Two console instances starting together serialise on this lock instead of racing to create tables.
const LOCK_KEY = 7_305_146_001

/** Brings the console database up to date; idempotent. Returns the names it applied. */
export async function migrateConsole(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY])
    await client.query(`CREATE TABLE IF NOT EXISTS console_schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`)
    const { rows } = await client.query<{ name: string }>('SELECT name FROM console_schema_migrations')
    const done = new Set(rows.map((r) => r.name))
    const applied: string[] = []
    for (const m of consoleMigrations.filter((m) => !done.has(m.name))) {
      await client.query('BEGIN')
      try {
        await client.query(m.sql)
        await client.query('INSERT INTO console_schema_migrations (name) VALUES ($1)', [m.name])
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK')
        throw new Error(`Console schema migration ${m.name} failed: ${(err as Error).message}`, { cause: err })
      }
      applied.push(m.name)
    }
    return applied
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {})
    client.release()
  }
}
