import pg from 'pg'
import type { RestoreLeftover } from '~contract/restore'
import type { TargetConfig } from '../config/schema'
import { parseLeftover, stampTime } from './names'
import { databaseFacts, withRestoreSession, type SessionOptions } from './session'

export interface LeftoverList {
  database: string
  /** The restore role restores, undos and drops run as. */
  role: string
  /** An emergency restore, undo or drop is running now: a `restore` leftover may be its work in progress. */
  busy: boolean
  leftovers: RestoreLeftover[]
}

/** The databases emergency restores left beside the target's, newest first. Nothing is ever dropped on its own. */
export async function listRestoreLeftovers(target: TargetConfig, opts: SessionOptions = {}): Promise<LeftoverList> {
  return withRestoreSession(target, opts, 'probe', async (s) => {
    const { rows } = await s.client.query<{ name: string }>('SELECT datname AS name FROM pg_database WHERE starts_with(datname, $1)', [`${s.database}_`])
    const names = rows.map((r) => r.name).filter((n) => parseLeftover(s.database, n))
    const leftovers = (await databaseFacts(s.client, names)).map((d) => {
      const { kind, stamp } = parseLeftover(s.database, d.name)!
      return { name: d.name, kind, stamp, madeAt: stampTime(stamp), sizeBytes: d.size, sessions: d.sessions, owner: d.owner }
    })
    return { database: s.database, role: s.role, busy: s.busy, leftovers: leftovers.sort((a, b) => b.stamp.localeCompare(a.stamp) || a.name.localeCompare(b.name)) }
  })
}

/**
 * Drops one leftover, named exactly: only `<db>_before_restore_<stamp>`, `<db>_restored_<stamp>` or
 * `<db>_restore_<stamp>` of this target's database, never while a restore runs, never one still in use.
 */
export async function dropLeftover(target: TargetConfig, name: string, opts: SessionOptions = {}): Promise<{ dropped: string }> {
  return withRestoreSession(target, opts, 'hold', async (s) => {
    if (!parseLeftover(s.database, name)) {
      throw new Error(`"${name}" is not a leftover of an emergency restore of "${s.database}"; only those are dropped here`)
    }
    if (!(await databaseFacts(s.client, [name])).length) throw new Error(`There is no database "${name}"`)
    try {
      await s.client.query(`DROP DATABASE ${pg.escapeIdentifier(name)}`)
    } catch (err) {
      if ((err as { code?: string }).code === '55006') throw new Error(`"${name}" is in use (${(err as Error).message}); close its sessions first`, { cause: err })
      throw err
    }
    return { dropped: name }
  })
}
