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

/** "3 h ago", "2 d ago": ages an admin reads at a glance. */
export function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, (now - new Date(iso).getTime()) / 1000)
  if (s < 90) return 'just now'
  if (s < 5400) return `${Math.round(s / 60)} min ago`
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`
  return `${Math.round(s / 86_400)} d ago`
}

/** "in 5 h", "in 3 d", "expired". */
export function until(iso: string, now = Date.now()): string {
  const d = (new Date(iso).getTime() - now) / 86_400_000
  if (d < 0) return 'expired'
  return d < 1 ? `in ${Math.max(1, Math.round(d * 24))} h` : `in ${Math.round(d)} d`
}

/** A timestamp as a person reads it at a glance: time only when it is today, date and time otherwise. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  const today = d.toDateString() === new Date().toDateString()
  return today ? d.toLocaleTimeString() : d.toLocaleString()
}

/** Date and time in full, in the reader's locale; `none` when there is no timestamp. */
export function formatDateTime(at: string | number | null | undefined, none = '—'): string {
  return at === null || at === undefined || at === '' ? none : new Date(at).toLocaleString()
}

export const formatClock = (iso: string) => new Date(iso).toLocaleTimeString()

/** A chart's axis label: "Nov 24", or with the time "Nov 24 14:05". */
export function formatDay(ms: number, withTime: boolean): string {
  const d = new Date(ms)
  const day = d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
  return withTime ? `${day} ${d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}` : day
}
