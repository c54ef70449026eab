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

export const formatClock = (iso: string) => new Date(iso).toLocaleTimeString()

export function formatDay(ms: number, withTime: boolean): string {
  const d = new Date(ms)
  const day = d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
  return withTime ? `${day} ${d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}` : day
}
