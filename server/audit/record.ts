import type pg from 'pg'

const SECRET_KEY = /pass(word)?|secret|token|key/i
/** A name that says its value is a secret (DB_PASSWORD, API_KEY, SESSION_SECRET): never shown, logged or passed in argv. */
export const isSecretKey = (name: string): boolean => SECRET_KEY.test(name)

/** Appends one audit row; parameters whose names look secret are redacted before they are stored. */
export async function recordAudit(pool: pg.Pool, entry: {
  actor: string | null, action: string, target?: string | null, params?: Record<string, unknown>, outcome: string
}): Promise<void> {
  const params = Object.fromEntries(Object.entries(entry.params ?? {})
    .map(([k, v]) => [k, isSecretKey(k) ? '[redacted]' : v]))
  await pool.query('INSERT INTO audit_log (actor, action, target, params, outcome) VALUES ($1, $2, $3, $4, $5)',
    [entry.actor, entry.action, entry.target ?? null, params, entry.outcome])
}
