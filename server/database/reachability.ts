import type pg from 'pg'

// When each target was first seen unreachable in its current run of failures, in this console's memory:
// pages say "since when" without a table to write to while things are failing.
const downSince = new Map<string, Date>()
const watched = new WeakMap<pg.Pool, Set<string>>()

/** Notes a failure to reach the target and returns when the current run of failures began. */
export function unreachableSince(targetId: string, now = new Date()): Date {
  let since = downSince.get(targetId)
  if (!since) downSince.set(targetId, since = now)
  return since
}

/** Any new connection the pool makes for the target ends its run of failures. */
export function watchReachability(pool: pg.Pool, targetId: string): pg.Pool {
  let ids = watched.get(pool)
  if (!ids) {
    const forTargets = new Set<string>()
    watched.set(pool, ids = forTargets)
    pool.on('connect', () => { for (const id of forTargets) downSince.delete(id) })
  }
  ids.add(targetId)
  return pool
}
