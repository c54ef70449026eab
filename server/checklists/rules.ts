import type { ItemStatus, RunStatus } from '~contract/checklists'

const DAY_MS = 86_400_000

/** A run passes by itself once every item passes; an empty run never does. */
export const allPass = (items: { status: ItemStatus }[]): boolean => items.length > 0 && items.every((i) => i.status === 'pass')

/** Ticking a manual item passes it; unticking returns it to pending, never to fail: nobody checked and found it wrong. */
export const tickedStatus = (done: boolean): ItemStatus => (done ? 'pass' : 'pending')

/** no-failed-jobs looks back to the previous completed run of the same phase, else one day. */
export function failedJobsSince(previousCompletedAt: Date | null, now: Date): Date {
  return previousCompletedAt ?? new Date(now.getTime() - DAY_MS)
}

/** Why a run cannot change any more, or null while it is open: a completed run is a record. */
export function closedRefusal(run: { id: number, status: RunStatus }): string | null {
  if (run.status === 'open') return null
  return `Checklist run #${run.id} is ${CLOSED[run.status]}; start a new run to check again`
}

const CLOSED: Record<Exclude<RunStatus, 'open'>, string> = { 'passed': 'already passed', 'signed-off': 'signed off', 'abandoned': 'abandoned' }

/**
 * A note says what was checked, so it may be written after the tick and after the run completed (the audit keeps
 * each version); an abandoned run is left as it was given up.
 */
export function noteRefusal(run: { id: number, status: RunStatus }): string | null {
  return run.status === 'abandoned' ? `Checklist run #${run.id} was abandoned; its notes are kept as they were` : null
}

/** Only an open run can be abandoned, and the reason is what the history shows for it. */
export function abandonRefusal(run: { id: number, status: RunStatus }, reason: string): string | null {
  const closed = closedRefusal(run)
  if (closed) return closed
  if (reason.trim().length < 5) return 'Abandoning a run needs a reason of at least 5 characters'
  return null
}

export function tickRefusal(run: { id: number, status: RunStatus }, item: { key: string, kind: 'auto' | 'manual' }): string | null {
  if (item.kind === 'auto') return `"${item.key}" is checked against live state; re-evaluate the run instead of ticking it`
  return closedRefusal(run)
}

/** An admin may sign off an open run despite failing items, with a written reason; a run that passed needs none. */
export function signOffRefusal(run: { id: number, status: RunStatus }, reason: string): string | null {
  const closed = closedRefusal(run)
  if (closed) return closed
  if (reason.trim().length < 10) return 'A sign-off needs a reason of at least 10 characters'
  return null
}

export const passingCount = (items: { status: ItemStatus }[]): number => items.filter((i) => i.status === 'pass').length
