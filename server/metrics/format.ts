export interface Gauge {
  name: string
  help: string
  samples: { labels: Record<string, string>, value: number }[]
}

/** Prometheus text exposition format 0.0.4: HELP and TYPE once per metric, then its samples. */
export function prometheusText(gauges: Gauge[]): string {
  return gauges.map((g) => [
    `# HELP ${g.name} ${g.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
    `# TYPE ${g.name} gauge`,
    ...g.samples.map((s) => `${g.name}${labelText(s.labels)} ${numberText(s.value)}`),
  ].join('\n')).join('\n') + '\n'
}

function labelText(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
  return pairs.length ? `{${pairs.join(',')}}` : ''
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (n === Infinity) return '+Inf'
  if (n === -Infinity) return '-Inf'
  return String(n)
}
