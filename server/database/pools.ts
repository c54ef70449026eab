import pg from 'pg'

// One bounded pool per distinct connection: a busy console never opens more than this per target.
export const POOL_SIZE = 4
const pools = new Map<string, pg.Pool>()

/** The pool for `config`; `max` and `applicationName` make a separate pool (e.g. job sessions, apart from requests). */
export function poolFor(config: pg.ClientConfig, opts: { max?: number, applicationName?: string } = {}): pg.Pool {
  const key = JSON.stringify([config, opts])
  let pool = pools.get(key)
  if (!pool) {
    pool = new pg.Pool({ ...config, max: opts.max ?? POOL_SIZE, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000,
      application_name: opts.applicationName ?? 'dbsafe' })
    // An idle client losing its server must not crash the console; the next query reports it.
    pool.on('error', () => {})
    pools.set(key, pool)
  }
  return pool
}

export async function closePools(): Promise<void> {
  const all = [...pools.values()]
  pools.clear()
  await Promise.all(all.map((p) => p.end()))
}
