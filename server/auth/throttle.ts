import type pg from 'pg'

// Login back-off, kept in the console database so it holds across restarts and console instances.
// An attempt is counted before its password is checked, in one transaction holding the rows' locks,
// so parallel requests queue on the count instead of all reading it before any failure is written.
//
// Three keys, each with its own number of free failures before it backs off (1 min, doubling, at most 15 min,
// forgotten after a quiet hour): an address (stops spraying many accounts), an account from an address
// (stops guessing one password), and an account from anywhere (stops guessing it from many addresses).
// The account key alone is a lever to lock a user out, so a right password from an address the account
// logged in from before passes it; such an address is still held by its own account-and-address key.
const FREE = { address: 30, account: 10, accountAddress: 5 }
const FIRST_DELAY_S = 60
const MAX_DELAY_S = 15 * 60
const FORGET = '1 hour'

export type Reservation = { ok: true } | { ok: false, retryAfterSeconds: number }

interface Keys { address: string, account: string, accountAddress: string }

// ASCII only, so JavaScript's sort and the "C" collation agree: every transaction locks rows in one order.
function keysFor(username: string, ip: string): Keys {
  const user = encodeURIComponent(username)
  const address = encodeURIComponent(ip)
  return { address: `address:${address}`, account: `account:${user}`, accountAddress: `account-address:${user}@${address}` }
}

/** Counts a login attempt, or refuses it (without counting) while any of its keys is backing off. */
export async function reserveAttempt(pool: pg.Pool, username: string, ip: string): Promise<Reservation> {
  const keys = keysFor(username, ip)
  const names = Object.values(keys).sort()
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('INSERT INTO login_throttle (key) SELECT unnest($1::text[]) ON CONFLICT (key) DO NOTHING', [names])
    const { rows } = await client.query<{ key: string, failures: number, stale: boolean, wait: number }>(
      `SELECT key, failures, last_at < now() - $2::interval AS stale,
              CASE WHEN next_at > now() THEN ceil(extract(epoch FROM next_at - now()))::int ELSE 0 END AS wait
       FROM login_throttle WHERE key = ANY($1) ORDER BY key COLLATE "C" FOR UPDATE`, [names, FORGET])
    const known = await knownAddress(client, username, ip)
    const blocking = rows.filter((r) => r.wait > 0 && !(r.key === keys.account && known))
    if (blocking.length > 0) {
      await client.query('ROLLBACK')
      return { ok: false, retryAfterSeconds: Math.max(...blocking.map((r) => r.wait)) }
    }
    const free = new Map(Object.entries(keys).map(([kind, key]) => [key, FREE[kind as keyof Keys]]))
    const counts = rows.map((r) => (r.stale ? 1 : r.failures + 1))
    const delays = rows.map((r, i) => backoffSeconds(counts[i], free.get(r.key)!))
    // next_at moves only when a back-off starts: a transaction that waited for these locks began earlier
    // than the one it waited for, and must not read that one's now() as a back-off still running.
    await client.query(
      `UPDATE login_throttle t SET failures = k.n, last_at = now(),
         next_at = CASE WHEN k.delay > 0 THEN now() + make_interval(secs => k.delay) ELSE t.next_at END
       FROM unnest($1::text[], $2::int[], $3::float8[]) AS k(key, n, delay) WHERE t.key = k.key`,
      [rows.map((r) => r.key), counts, delays])
    await client.query('COMMIT')
    return { ok: true }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.release()
  }
}

function backoffSeconds(failures: number, free: number): number {
  return failures < free ? 0 : Math.min(FIRST_DELAY_S * 2 ** (failures - free), MAX_DELAY_S)
}

async function knownAddress(client: pg.PoolClient, username: string, ip: string): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM login_known_addresses k JOIN users u ON u.id = k.user_id WHERE u.username = $1 AND k.ip = $2`, [username, ip])
  return rows.length > 0
}

/**
 * A right password: the account-and-address key starts over, the address and account keys give back the
 * attempt they counted (a failure elsewhere still stands), the address becomes known, stale rows go.
 */
export async function recordSuccess(pool: pg.Pool, userId: number, username: string, ip: string): Promise<void> {
  const keys = keysFor(username, ip)
  await pool.query(
    `WITH reset AS (DELETE FROM login_throttle WHERE key = $1 OR last_at < now() - $4::interval),
     refund AS (UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = ANY($2) AND last_at >= now() - $4::interval)
     INSERT INTO login_known_addresses (user_id, ip) VALUES ($3, $5)
     ON CONFLICT (user_id, ip) DO UPDATE SET last_ok_at = now()`,
    [keys.accountAddress, [keys.address, keys.account], userId, FORGET, ip])
}
