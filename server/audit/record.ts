import type pg from 'pg'

const SECRET_KEY = /pass(word)?|secret|token|key/i

/** Appends one audit row; parameters whose names look secret are redacted before they are stored. */
export async function recordAudit(pool: pg.Pool, entry: {
  actor: string | null, action: string, target?: string | null, params?: Record<string, unknown>, outcome: string
}): Promise<void> {
  const params = Object.fromEntries(Object.entries(entry.params ?? {})
    .map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : v]))
  await pool.query('INSERT INTO audit_log (actor, action, target, params, outcome) VALUES ($1, $2, $3, $4, $5)',
    [entry.actor, entry.action, entry.target ?? null, params, entry.outcome])
}
