import type pg from 'pg'
import type { Finding, PrivilegeReview } from '~contract/privileges'
import { analyzePrivileges, UnknownRoleError } from './analyze'
import { listWords } from './findings'
import { directGrantRows, seedCheckGaps } from './seed-check'

/** The report plus what the seed document's own check would have missed; null for an unknown role. */
export async function privilegeReview(pool: pg.Pool, role: string): Promise<PrivilegeReview | null> {
  try {
    const report = await analyzePrivileges(pool, role)
    const ownerRole = report.findings.find((f) => f.code === 'owner-role')
    const findings = ownerRole ? await withLogins(pool, role, ownerRole, report.findings) : report.findings
    return { ...report, findings, seedCheck: seedCheckGaps(report, directGrantRows(report)) }
  } catch (err) {
    if (err instanceof UnknownRoleError) return null
    throw err
  }
}

// An owner role is only as safe as the logins that can act as it: name them, so they get reviewed in its place.
async function withLogins(pool: pg.Pool, role: string, ownerRole: Finding, findings: Finding[]): Promise<Finding[]> {
  const { rows } = await pool.query<{ name: string, inherits: boolean }>(`
    SELECT m.rolname AS name, pg_has_role(m.oid, o.oid, 'USAGE') AS inherits
    FROM pg_roles o JOIN pg_roles m ON m.oid <> o.oid AND m.rolcanlogin AND NOT m.rolsuper AND pg_has_role(m.oid, o.oid, 'MEMBER')
    WHERE o.rolname = $1 ORDER BY 2 DESC, 1`, [role])
  const who = rows.map((r) => `${r.name} (${r.inherits ? 'inherits its powers: connected as it, one can DROP what it owns' : 'after SET ROLE'})`)
  const sentence = rows.length === 0
    ? ' No login role can act as it.'
    : ` Logins that can act as it: ${listWords(who, 10)}. Review those in its place: if one is the app's login, the app can destroy data.`
  return findings.map((f) => (f === ownerRole ? { ...f, message: f.message + sentence } : f))
}
