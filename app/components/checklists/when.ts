/** A timestamp as a person reads it at a glance: time only when it is today, date and time otherwise. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  const today = d.toDateString() === new Date().toDateString()
  return today ? d.toLocaleTimeString() : d.toLocaleString()
}

export const PHASE_TITLE = { pre: 'Pre-deploy', post: 'Post-deploy' } as const
