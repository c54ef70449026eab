import type { LatestRehearsal, Rehearsal, RehearsalDrift, RelationLock } from '~contract/rehearsal'
import { formatDuration, when } from '~app/format'

// Above either, an ACCESS EXCLUSIVE lock stalls the app long enough to plan for (a rewrite, a long wait behind reads).
const LARGE_ROWS = 100_000
const LARGE_BYTES = 64 * 1024 * 1024
const TABLE_KINDS = new Set(['table', 'partitioned table', 'materialized view'])

/** The lock worth a second look: ACCESS EXCLUSIVE on an existing large table. Kept rare on purpose. */
export function isHeavyLock(l: RelationLock): boolean {
  return l.modes[0] === 'ACCESS EXCLUSIVE' && !l.createdHere && TABLE_KINDS.has(l.kind)
    && (l.rowEstimate >= LARGE_ROWS || l.sizeBytes >= LARGE_BYTES)
}

/** "006_x changed, 007_y not rehearsed". */
export function driftText(d: RehearsalDrift): string {
  return [...d.modified.map((n) => `${n} changed`), ...d.added.map((n) => `${n} not rehearsed`)].join(', ')
}

export type Tone = 'ok' | 'warn' | 'bad'

/** What the latest rehearsal says about running the pending migrations now: for the run dialog and the Deploy page. */
export function rehearsalNote({ rehearsal: r, drift }: LatestRehearsal): { tone: Tone, text: string } {
  if (!r) return { tone: 'warn', text: 'No rehearsal has been done: the pending migrations were never tried on a copy of a backup.' }
  if (drift?.changed) return { tone: 'warn', text: `The files changed since the last rehearsal (${when(r.finishedAt)}): ${driftText(drift)}. Rehearse again to try these bytes.` }
  if (!r.ok) return { tone: 'bad', text: `The last rehearsal (${when(r.finishedAt)}) failed: ${failure(r)}.` }
  const ran = r.migrations.filter((m) => m.status === 'ok')
  const ms = ran.reduce((sum, m) => sum + (m.durationMs ?? 0), 0)
  return { tone: 'ok', text: `Rehearsed ${when(r.finishedAt)} on a copy of ${r.backup.id}: ${ran.length} migration${ran.length === 1 ? '' : 's'} passed in ${formatDuration(ms)}.` }
}

function failure(r: Rehearsal): string {
  const m = r.migrations.find((x) => x.status === 'failed')
  if (!m) return 'a migration failed'
  return `${m.name}${m.error?.line ? ` at line ${m.error.line}` : ''}: ${m.error?.message ?? 'failed'}`
}
