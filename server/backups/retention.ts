import { rm } from 'node:fs/promises'
import type pg from 'pg'
import type { BackupEntry, RetentionPlan } from '~contract/backups'
import type { TargetConfig } from '../config/schema'
import { listBackups, type ListOptions } from './inventory'
import { manifestPath } from './manifest'
import { isUsable } from '~contract/backups'
import { byNewest } from './newest'
import { resolveBackup } from './paths'
import { forgetPaths } from './store'
import { deployPins } from '../deploys/pins'

export interface RetentionOptions {
  /** Default: the target's retentionDays. */
  retentionDays?: number
  /** The newest this many usable (not corrupt, not partial) backups are kept even when expired. */
  keepMin?: number
  now?: Date
}

const DAY_MS = 86_400_000
// A dump still being written touches its .partial constantly; one untouched for a day is left over.
const PARTIAL_GRACE_MS = DAY_MS

/** Which backups retention removes and why each of the others stays. Pure: decides on the entries given. */
export function planRetention(entries: BackupEntry[], opts: Required<Omit<RetentionOptions, 'now'>> & { now: Date, pinned?: Map<string, string> }): RetentionPlan {
  const now = opts.now.getTime()
  const newestFirst = [...entries].sort(byNewest)
  const usable = newestFirst.filter(isUsable)
  const protectedIds = new Set(usable.slice(0, opts.keepMin).map((e) => e.id))
  const plan: RetentionPlan = { keep: [], remove: [] }
  for (const e of newestFirst) {
    const expired = now > Date.parse(e.createdAt) + opts.retentionDays * DAY_MS
    if (e.status === 'partial') {
      if (now - Date.parse(e.modifiedAt) > PARTIAL_GRACE_MS) plan.remove.push({ id: e.id, file: e.file, reason: 'unfinished dump, untouched for more than a day' })
      else plan.keep.push({ id: e.id, reason: 'unfinished dump, possibly still being written' })
    } else if (opts.pinned?.has(e.id)) {
      plan.keep.push({ id: e.id, reason: opts.pinned.get(e.id)! })
    } else if (protectedIds.has(e.id)) {
      plan.keep.push({ id: e.id, reason: `one of the ${opts.keepMin} newest usable backups${expired ? ', kept although expired' : ''}` })
    } else if (expired) {
      plan.remove.push({ id: e.id, file: e.file, reason: `older than ${opts.retentionDays} days${e.status === 'corrupt' ? ' (and corrupt)' : ''}` })
    } else {
      plan.keep.push({ id: e.id, reason: e.status === 'corrupt' ? 'corrupt, kept until it expires so it can be looked at' : `within ${opts.retentionDays} days` })
    }
  }
  return plan
}

export async function retentionPlan(consoleDb: pg.Pool, target: TargetConfig, opts: RetentionOptions & ListOptions = {}): Promise<RetentionPlan> {
  const now = opts.now ?? new Date()
  const entries = await listBackups(consoleDb, target, { ...opts, now })
  const pinned = await deployPins(consoleDb, target, now)
  return planRetention(entries, { retentionDays: opts.retentionDays ?? target.retentionDays, keepMin: opts.keepMin ?? 3, now, pinned })
}

/**
 * Deletes exactly the plan's `remove` list (and each one's manifest), every path resolved again
 * inside the backups dir first, and returns what it deleted.
 */
export async function pruneBackups(consoleDb: pg.Pool, target: TargetConfig, opts: RetentionOptions & ListOptions = {}): Promise<RetentionPlan['remove']> {
  const plan = await retentionPlan(consoleDb, target, opts)
  const removed: RetentionPlan['remove'] = []
  const paths: string[] = []
  for (const r of plan.remove) {
    const path = await resolveBackup(target, r.id, { allowPartial: true, allowLinked: true })
    if (!path) continue
    await rm(path, { recursive: true, force: true })
    await rm(manifestPath(path), { force: true })
    removed.push(r)
    paths.push(path)
  }
  await forgetPaths(consoleDb, paths)
  return removed
}
