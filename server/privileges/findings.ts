import type { Finding, PrivilegeReport, Severity, Verdict } from '~contract/privileges'
import { grantFindings } from './findings-grants'
import { ownershipFindings } from './findings-ownership'
import { roleFindings } from './findings-role'
import { createOwnerRoleSql, q } from './remediation'
import type { Hop } from './roles'

export type ReportBase = Omit<PrivilegeReport, 'findings' | 'verdict'>

export interface FindingContext {
  /** The migration-owner role that remediation moves ownership to. */
  ownerRole: { name: string, exists: boolean }
  /** First links of the chains through which the role holds the given role's powers. */
  hops: (role: string) => Hop[]
  /** The role can use the given role's powers, directly or after SET ROLE. */
  usable: (role: string) => boolean
  /** Chain to a superuser role the role can SET ROLE to. */
  superVia: string[] | null
}

/** A finding before capping, with its remediation as statements. */
export interface Draft {
  severity: Severity
  code: string
  message: string
  objects: string[]
  /** Statements, or blocks of statements that belong together (SET ROLE … RESET ROLE). */
  sql: string[]
  needsOwnerRole?: boolean
}

export interface RuleInput { report: ReportBase, ctx: FindingContext }

export const MAX_OBJECTS = 50
const ORDER: Record<Severity, number> = { destructive: 0, warning: 1, info: 2 }

export function buildFindings(report: ReportBase, given: Partial<FindingContext> = {}): Finding[] {
  const byRole = new Map(report.memberships.map((m) => [m.role, m]))
  const ctx: FindingContext = {
    ownerRole: given.ownerRole ?? { name: `${report.role}_owner`, exists: false },
    hops: given.hops ?? ((role) => {
      const m = byRole.get(role)
      return m && m.via.length > 1 ? [{ role: m.via[1], grantors: [] }] : []
    }),
    usable: given.usable ?? ((role) => { const m = byRole.get(role); return !!m && (m.inherited || m.setRole) }),
    superVia: given.superVia ?? null,
  }
  const input = { report, ctx }
  const drafts = [...roleFindings(input), ...ownershipFindings(input), ...grantFindings(input)]
    .sort((a, b) => ORDER[a.severity] - ORDER[b.severity])
  let ownerRoleReady = ctx.ownerRole.exists
  return drafts.map((d) => {
    let sql = d.sql
    if (d.needsOwnerRole && !ownerRoleReady) {
      sql = [...createOwnerRoleSql(ctx.ownerRole.name), ...sql]
      ownerRoleReady = true
    } else if (d.needsOwnerRole && !ctx.ownerRole.exists) {
      sql = [`-- uses role ${q(ctx.ownerRole.name)}, created by the first remediation above that needs it`, ...sql]
    }
    return {
      severity: d.severity, code: d.code, message: d.message,
      objects: d.objects.slice(0, MAX_OBJECTS), count: d.objects.length,
      remediation: unique(sql).join('\n'),
    }
  })
}

export function verdictOf(findings: Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'destructive')) return 'unsafe'
  if (findings.some((f) => f.severity === 'warning')) return 'warning'
  return 'safe'
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

export function listWords(items: string[], max = 5): string {
  const shown = items.slice(0, max)
  const rest = items.length - shown.length
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`
}

// Comments may legitimately repeat; statements must not (a second identical REVOKE only warns, but is noise).
function unique(sql: string[]): string[] {
  const seen = new Set<string>()
  return sql.filter((s) => s.startsWith('--') || (!seen.has(s) && seen.add(s) !== undefined))
}
