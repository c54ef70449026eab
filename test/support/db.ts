import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'
import { clusterFromUrl } from '../../scripts/pg-cluster'

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
      await pool.end()
      const a = new pg.Client(c.adminUrl)
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}

/** Runs statements as the cluster superuser on the given database. */
export async function asSuperuser(url: string, sql: string): Promise<void> {
  const client = new pg.Client(url)
  await client.connect()
  try { await client.query(sql) } finally { await client.end() }
}
