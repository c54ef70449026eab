/** "3 h ago", "2 d ago": ages an admin reads at a glance. */
export function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, (now - new Date(iso).getTime()) / 1000)
  if (s < 90) return 'just now'
  if (s < 5400) return `${Math.round(s / 60)} min ago`
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`
  return `${Math.round(s / 86_400)} d ago`
}

export function until(iso: string, now = Date.now()): string {
  const d = (new Date(iso).getTime() - now) / 86_400_000
  if (d < 0) return 'expired'
  return d < 1 ? `in ${Math.max(1, Math.round(d * 24))} h` : `in ${Math.round(d)} d`
}
