import pg from 'pg'

// One bounded pool per distinct connection: a busy console never opens more than this per target.
export const POOL_SIZE = 4
const pools = new Map<string, pg.Pool>()

export function poolFor(config: pg.ClientConfig): pg.Pool {
  const key = JSON.stringify(config)
  let pool = pools.get(key)
  if (!pool) {
    pool = new pg.Pool({ ...config, max: POOL_SIZE, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000,
      application_name: 'dbsafe' })
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
