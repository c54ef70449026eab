import pg from 'pg'
import type { JobContext } from '../jobs/run'
import { withClient } from '../backups/scratch'
import type { RestoreSession } from './session'

export interface SwapOutcome { attempts: number, sessionsEnded: number }

interface Holder { pid: number, role: string, superuser: boolean, ended: boolean }

const ATTEMPTS = 4
const TERMINATE_EVERY_MS = 200

// Ends the sessions on these databases that the restore role may end: not a superuser's, and only of roles
// it acts as or with pg_signal_backend (PostgreSQL's own rule; pg_terminate_backend would raise otherwise).
const TERMINATE_SQL = `
  SELECT a.pid, r.rolname AS role, r.rolsuper AS superuser,
    CASE WHEN NOT r.rolsuper AND (pg_has_role(r.oid, 'USAGE') OR pg_has_role('pg_signal_backend', 'USAGE'))
      THEN pg_terminate_backend(a.pid) ELSE false END AS ended
  FROM pg_stat_activity a JOIN pg_roles r ON r.oid = a.usesysid
  WHERE a.datname = ANY($1) AND a.pid <> pg_backend_pid()`

/**
 * Renames databases in one transaction (`[from, to]` pairs, in order), e.g. live → aside then restored → live.
 * The first rename locks the live database, so a client that reconnects waits at that lock and then finds
 * the name held by the other database; sessions still connected are ended from a second session while the
 * rename waits for them (PostgreSQL waits up to 5 s). When some stay, the transaction rolls back, so every
 * database keeps its name, and after a few attempts the swap fails naming who stayed.
 */
export async function swapDatabases(s: RestoreSession, renames: [string, string][], ctx: JobContext): Promise<SwapOutcome> {
  const names = renames.map(([from]) => from)
  return withClient(s.config, async (killer) => {
    let ended = 0
    let holders: Holder[] = []
    const terminate = async () => {
      holders = (await killer.query<Holder>(TERMINATE_SQL, [names])).rows
      ended += holders.filter((h) => h.ended).length
    }
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      await terminate()
      ctx.progress({ done: attempt, total: ATTEMPTS, message: `swapping (attempt ${attempt})` })
      const outcome = await renameAll(s.client, renames, terminate)
      if (outcome === 'done') {
        ctx.log(`swapped: ${renames.map(([a, b]) => `${a} → ${b}`).join(', ')} (${ended} sessions ended)`)
        return { attempts: attempt, sessionsEnded: ended }
      }
      ctx.log(`attempt ${attempt}: sessions stayed connected (${describe(holders)}); both databases keep their names`)
    }
    throw new Error(`Could not swap: sessions kept ${names.map((n) => `"${n}"`).join(' and ')} in use after ${ATTEMPTS} attempts (${describe(holders)}). `
      + 'Nothing was renamed. ' + advice(holders, s.role))
  })
}

async function renameAll(c: pg.Client, renames: [string, string][], terminate: () => Promise<void>): Promise<'done' | 'in-use'> {
  await c.query('BEGIN')
  try {
    // A session holding the database's lock must not hang the swap.
    await c.query(`SET LOCAL lock_timeout = '10s'`)
    for (const [from, to] of renames) {
      const renaming = c.query(`ALTER DATABASE ${pg.escapeIdentifier(from)} RENAME TO ${pg.escapeIdentifier(to)}`)
      let pending = true
      const settled = renaming.then(() => { pending = false }, () => { pending = false })
      while (pending) {
        await Promise.race([settled, sleep(TERMINATE_EVERY_MS)])
        if (pending) await terminate()
      }
      await renaming
    }
    await c.query('COMMIT')
    return 'done'
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {})
    if ((err as { code?: string }).code === '55006') return 'in-use'
    throw new Error(`The swap failed and was rolled back, nothing was renamed: ${(err as Error).message}`, { cause: err })
  }
}

function describe(holders: Holder[]): string {
  const stayed = holders.filter((h) => !h.ended)
  if (!stayed.length) return 'sessions reconnected as fast as they were ended'
  const byRole = new Map<string, Holder[]>()
  for (const h of stayed) byRole.set(h.role, [...(byRole.get(h.role) ?? []), h])
  return [...byRole].map(([role, hs]) => `${hs.length} of role ${role}${hs[0].superuser ? ' (superuser)' : ''}`).join(', ')
}

function advice(holders: Holder[], restoreRole: string): string {
  const stayed = holders.filter((h) => !h.ended)
  const parts = []
  if (stayed.some((h) => h.superuser)) parts.push('A superuser\'s sessions can only be ended by a superuser: close them, then retry.')
  if (stayed.some((h) => !h.superuser)) parts.push(`To let the restore end other roles' sessions: GRANT pg_signal_backend TO ${pg.escapeIdentifier(restoreRole)};`)
  if (!stayed.length) parts.push('Stop the clients that reconnect (the app, pools, cron jobs), then retry.')
  return parts.join(' ')
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Drops `name`, ending its sessions first (PostgreSQL 13+). */
export async function dropDatabase(config: pg.ClientConfig, name: string): Promise<void> {
  await withClient(config, (c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`))
}
