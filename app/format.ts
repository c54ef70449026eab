/** How the console writes sizes, durations, dates and ages: one module, so every view reads alike. */

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let i = 0
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++ }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`
}

/** "850 ms", "42 s", "3 min 12 s", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—'
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${s % 60} s`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h} h ${m % 60} min`
  return `${Math.floor(h / 24)} d ${h % 24} h`
}

/** Row estimates: "~0", "~950", "~12.3k", "~4.1M". */
export function formatEstimate(n: number | null): string {
  if (n === null) return 'not analysed'
  const units: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']]
  for (const [size, unit] of units) if (n >= size) return `~${(n / size).toFixed(1)}${unit}`
  return `~${Math.round(n)}`
}

/**
 * When something happened or will happen, said one way across the console: relative ("just now", "5 min ago",
 * "in 3 h"), followed by the date whenever it is not today ("2 d ago, 4 Mar"), so "3 h ago" is never yesterday
 * unannounced. `<TimeAgo>` shows this with the full date and time on hover; this is for sentences built in code.
 */
export function when(at: string | null | undefined, now = Date.now()): string {
  if (!at) return '—'
  const t = new Date(at)
  const seconds = (t.getTime() - now) / 1000
  const span = relative(Math.abs(seconds))
  const text = span === null ? 'just now' : seconds < 0 ? `${span} ago` : `in ${span}`
  const today = new Date(now)
  if (t.toDateString() === today.toDateString()) return text
  const year = t.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' as const }
  return `${text}, ${t.toLocaleDateString(undefined, { day: 'numeric', month: 'short', ...year })}`
}

/** Date and time in full, in the reader's locale; `none` when there is no timestamp. */
export function formatDateTime(at: string | number | null | undefined, none = '—'): string {
  return at === null || at === undefined || at === '' ? none : new Date(at).toLocaleString()
}

/** A chart's axis label: "Nov 24", or with the time "Nov 24 14:05". */
export function formatDay(ms: number, withTime: boolean): string {
  const d = new Date(ms)
  const day = d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
  return withTime ? `${day} ${d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}` : day
}

function relative(seconds: number): string | null {
  if (seconds < 60) return null
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`
  return `${Math.round(seconds / 86_400)} d`
}
