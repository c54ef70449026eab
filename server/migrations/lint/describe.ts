import type { TableStats } from '~contract/migrations'

/** "events (12 GB, ~50M rows)"; just "events" when nothing is known about it. */
export function describeTable(name: string, stats: TableStats | undefined): string {
  if (!stats) return name
  const parts = [formatBytes(stats.sizeBytes)]
  // reltuples is -1 until the first VACUUM/ANALYZE: no estimate to give.
  if (stats.rowEstimate >= 0) parts.push(`~${formatCount(stats.rowEstimate)} rows`)
  return `${name} (${parts.join(', ')})`
}

const UNITS = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB']

export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 || value >= 10 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} ${UNITS[unit]}`
}

export function formatCount(n: number): string {
  const rounded = Math.round(n)
  if (rounded < 1000) return String(rounded)
  for (const [size, suffix] of [[1e9, 'B'], [1e6, 'M'], [1e3, 'k']] as const) {
    if (rounded >= size) {
      const v = rounded / size
      return `${v >= 10 ? Math.round(v) : v.toFixed(1).replace(/\.0$/, '')}${suffix}`
    }
  }
  return String(rounded)
}
