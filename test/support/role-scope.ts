import { randomBytes } from 'node:crypto'
import { asSuperuser, cluster, createTestDatabase } from './db'

/**
 * Roles are cluster-wide and test files run in parallel: every role a file makes carries the file's own
 * random prefix, and `cleanup` drops its databases and then its roles, members before the groups they join.
 */
export function roleScope(prefix: string, opts: { alsoDrop?: (role: string) => string[] } = {}) {
  const P = `${prefix}${randomBytes(3).toString('hex')}`
  const roles: string[] = []
  const dbs: Awaited<ReturnType<typeof createTestDatabase>>[] = []
  let n = 0
  return {
    prefix: P,
    names<K extends string>(...keys: K[]): Record<K, string> {
      n += 1
      const out = Object.fromEntries(keys.map((k) => [k, `${P}_${n}_${k}`])) as Record<K, string>
      roles.push(...Object.values<string>(out).flatMap((r) => [r, ...(opts.alsoDrop?.(r) ?? [])]))
      return out
    },
    async database(label: string, sql?: string) {
      const db = await createTestDatabase(`${prefix}_${label}`)
      dbs.push(db)
      if (sql) await asSuperuser(db.url, sql)
      return db
    },
    async cleanup() {
      for (const db of dbs) await db.drop()
      for (const r of [...roles].reverse()) await asSuperuser(cluster().adminUrl, `DROP ROLE IF EXISTS ${r}`)
    },
  }
}
