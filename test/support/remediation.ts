import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { expect } from 'vitest'
import type { PrivilegeReport } from '~contract/privileges'
import { asSuperuser, cluster } from './db'

/** Runs the one remediation script as an admin would: saved to a file, through psql, stopping at the first error. */
export function applyRemediation(url: string, report: PrivilegeReport) {
  const file = join(mkdtempSync(join(tmpdir(), 'remed-')), 'remediation.sql')
  writeFileSync(file, report.remediation!.script)
  const run = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', file, url], { encoding: 'utf8' })
  expect(run.stderr, report.remediation!.script).toBe('')
  expect(run.status).toBe(0)
}

export async function asApp(dbName: string, role: string, pw: string, fn: (c: pg.Client) => Promise<void>) {
  const client = new pg.Client(cluster().urlFor(dbName, role, pw))
  await client.connect()
  try { await fn(client) } finally { await client.end() }
}

/** A login for migrations that acts as the owner role, as the script's deploy note says to create. */
export async function migrator(url: string, owner: string, login: string, pw: string) {
  await asSuperuser(url, `CREATE ROLE ${login} LOGIN PASSWORD '${pw}'; GRANT ${owner} TO ${login}; ALTER ROLE ${login} SET role = '${owner}';`)
}
