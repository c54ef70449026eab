import type { Finding, PrivilegeReport, Remediation, Severity, Verdict } from '~contract/privileges'
import { grantFindings } from './findings-grants'
import { ownershipFindings } from './findings-ownership'
import { isOwnerRole, ownerRoleFinding, roleFindings } from './findings-role'
import { STEPS, type Stmt } from './remediation'
import type { Hop } from './roles'
import { remediationScript } from './script'

export type ReportBase = Omit<PrivilegeReport, 'findings' | 'remediation' | 'verdict'>

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
  /** Statements, or blocks of statements that belong together (SET ROLE … RESET ROLE), each in its script step. */
  sql: Stmt[]
  needsOwnerRole?: boolean
}

export interface RuleInput { report: ReportBase, ctx: FindingContext }

export const MAX_OBJECTS = 50
const ORDER: Record<Severity, number> = { destructive: 0, warning: 1, info: 2 }

export function buildFindings(report: ReportBase, given: Partial<FindingContext> = {}): { findings: Finding[], remediation: Remediation | null } {
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
  const owning = ownershipFindings(input)
  // A role that owns the objects and cannot log in is the owner role remediation would create: judged as such.
  const ownerRole = isOwnerRole(report, owning)
  const drafts = [
    ...roleFindings(input),
    ...(ownerRole ? [ownerRoleFinding(input, owning)] : owning),
    ...grantFindings(input).filter((d) => !(ownerRole && d.code === 'schema-create')),
  ].sort((a, b) => ORDER[a.severity] - ORDER[b.severity])
  const findings = drafts.map((d) => ({
    severity: d.severity, code: d.code, message: d.message,
    objects: d.objects.slice(0, MAX_OBJECTS), count: d.objects.length,
    remediation: inRunOrder(d.sql).map((s) => s.sql).join('\n'),
  }))
  return { findings, remediation: remediationScript(report, ctx, drafts) }
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

/** Statements in the order the script runs them, each once (a second identical REVOKE only warns, but is noise). */
export function inRunOrder(sql: Stmt[]): Stmt[] {
  const seen = new Set<string>()
  return STEPS.flatMap((step) => sql.filter((s) => s.step === step && !seen.has(s.sql) && seen.add(s.sql)))
}
