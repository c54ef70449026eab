import { setResponseHeader, type H3Event } from 'h3'

/**
 * Expensive reads of a target (overview, privileges, migrations, backups) shared by every viewer: one
 * computation per key at a time, its answer reused for FRESH_MS, so the console's cost follows the
 * number of targets, not the number of open browsers. None of these answers depends on who asks (a
 * route checks the role before it reads), so the key is the target, the read and its parameters only.
 * Writes through this console call `invalidateTarget`; a change made elsewhere (another instance, an
 * edit of the env file, the app itself) shows within FRESH_MS.
 */
export const FRESH_MS = 5000

export interface SharedAnswer<T> { value: T, computedAt: string }

interface Entry {
  targetId: string
  /** When the computation started, then when its answer came in: the reuse window counts from there. */
  computedAt: number
  settled: boolean
  answer: Promise<SharedAnswer<unknown>>
  /** The next answer, computed in the background while this one is still served. */
  refresh?: Promise<SharedAnswer<unknown>>
}

const entries = new Map<string, Entry>()
// For the load benchmark's "before" numbers only: every request computes its own answer.
const enabled = process.env.DBSAFE_SHARED_READS !== 'off'

/**
 * The answer for (target, read, params): joins the computation in flight (however long it takes, e.g. an
 * unreachable target's connect timeout) or reuses one that started less than FRESH_MS ago. A read asked
 * for again past half its window is computed afresh in the background, so steady readers never wait.
 */
export function sharedRead<T>(targetId: string, read: string, params: readonly string[], compute: () => Promise<T>): Promise<SharedAnswer<T>> {
  const key = JSON.stringify([targetId, read, ...params])
  const found = entries.get(key)
  if (!enabled || !found) return start(key, targetId, compute)
  const age = Date.now() - found.computedAt
  if (!found.settled) return found.answer as Promise<SharedAnswer<T>>
  if (age < FRESH_MS) {
    if (age >= FRESH_MS / 2) found.refresh ??= start(key, targetId, compute, found)
    return found.answer as Promise<SharedAnswer<T>>
  }
  return (found.refresh ?? start(key, targetId, compute)) as Promise<SharedAnswer<T>>
}

/** Computes an answer; it becomes the key's entry at once, or (refreshing `previous`) once it is in. */
function start<T>(key: string, targetId: string, compute: () => Promise<T>, previous?: Entry): Promise<SharedAnswer<T>> {
  const now = Date.now()
  const entry: Entry = { targetId, computedAt: now, settled: false, answer: compute().then((value) => ({ value, computedAt: new Date(now).toISOString() })) }
  if (!enabled) return entry.answer as Promise<SharedAnswer<T>>
  if (!previous) entries.set(key, entry)
  const current = previous ?? entry
  entry.answer.then(() => {
    entry.settled = true
    // Reused for FRESH_MS from when it is in, not from when it started: an analysis that takes longer than
    // FRESH_MS (50,000 tables on a busy server) would otherwise be stale on arrival and never shared.
    entry.computedAt = Date.now()
    // Unless a write dropped the answer it refreshes meanwhile.
    if (entries.get(key) === current) entries.set(key, entry)
    setTimeout(() => { if (entries.get(key) === entry) entries.delete(key) }, FRESH_MS).unref()
  }, () => {
    // A failure is shared by the requests that waited for it, never kept: the next request computes again.
    if (entries.get(key) === current) entries.delete(key)
  })
  return entry.answer as Promise<SharedAnswer<T>>
}

/** After a write to the target: the next read computes afresh (a computation in flight still answers its waiters). */
export function invalidateTarget(targetId: string): void {
  for (const [key, entry] of entries) if (entry.targetId === targetId) entries.delete(key)
}

/** A route's shared read, with the time it was computed in `X-Computed-At` (the UI shows its age). */
export async function sharedAnswer<T>(event: H3Event, targetId: string, read: string, params: readonly string[],
  compute: () => Promise<T>): Promise<SharedAnswer<T>> {
  const answer = await sharedRead(targetId, read, params, compute)
  setResponseHeader(event, 'x-computed-at', answer.computedAt)
  return answer
}
