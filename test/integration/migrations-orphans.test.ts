import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIGRATION_LOCK_KEY } from '~server/migrations/start-run'
import { startConsoleProcess } from '../support/console'
import { asSuperuser, cluster, queryRows } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'

describe('a migration statement whose console is gone', () => {
  let c: ConsoleFixture
  let targetUrl: string
  beforeAll(async () => {
    c = await startConsoleFixture()
    const t = c.targets[0]
    targetUrl = cluster().urlFor(t.database)
    await asSuperuser(targetUrl, `GRANT CREATE ON SCHEMA public TO ${t.appRole}`)
  })
  afterAll(async () => { await c?.cleanup() })

  const sessions = (name: string) => queryRows(targetUrl,
    `SELECT pid, state, query FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [name])
  async function until(check: () => Promise<boolean>, ms: number): Promise<number> {
    const started = Date.now()
    while (!await check()) {
      if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`)
      await new Promise((r) => setTimeout(r, 100))
    }
    return Date.now() - started
  }

  it('is cancelled by the server once the console that ran it dies', async () => {
    writeFileSync(join(c.targets[0].dir, 'migrations', '001_slow.sql'), 'SELECT pg_sleep(120);\n')
    const cookie = await c.login('admin', c.adminPassword)
    const res = await c.request('/api/targets/main/migrations/run', { method: 'POST', cookie, body: { confirm: 'main', override: { reason: 'test target' } } })
    expect(res.status).toBe(202)
    const { jobId } = await json(res)
    const name = `dbsafe-migration:${jobId}`
    await until(async () => (await sessions(name)).some((s) => s.state === 'active' && s.query.includes('pg_sleep')), 20_000)
    await c.crash()
    // The statement would sleep two minutes and statement_timeout is 15 min: only the connection check ends it.
    expect(await until(async () => (await sessions(name)).length === 0, 15_000)).toBeLessThan(15_000)
  })

  it('is ended by the next console start when its session is still connected, and the job says so', { timeout: 60_000 }, async () => {
    const [job] = await queryRows(c.consoleDatabaseUrl,
      `INSERT INTO jobs (kind, target, status, started_at) VALUES ('migrations.run', 'main', 'running', now()) RETURNING id`)
    const t = c.targets[0]
    const holder = new pg.Client({ connectionString: cluster().urlFor(t.database, t.appRole, t.appPassword), application_name: `dbsafe-migration:${job.id}` })
    holder.on('error', () => {})
    await holder.connect()
    await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    const sleeping = holder.query('SELECT pg_sleep(120)').catch((err: Error) => err)
    await until(async () => (await sessions(`dbsafe-migration:${job.id}`)).some((s) => s.state === 'active'), 5000)
    const again = await startConsoleProcess(c.env)
    try {
      await until(async () => (await sessions(`dbsafe-migration:${job.id}`)).length === 0, 15_000)
      expect(await sleeping).toBeInstanceOf(Error)
      const [after] = await queryRows(c.consoleDatabaseUrl, 'SELECT status, error FROM jobs WHERE id = $1', [job.id])
      expect(after.status).toBe('interrupted')
      expect(after.error).toContain('ended')
      const log = await queryRows(c.consoleDatabaseUrl, 'SELECT line FROM job_logs WHERE job_id = $1', [job.id])
      expect(log.map((l) => l.line).join('\n')).toContain('pg_sleep(120)')
    } finally {
      await again.stop()
    }
  })
})
