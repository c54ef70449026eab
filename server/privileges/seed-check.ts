import type pg from 'pg'
import type { PrivilegeReport, Source, TablePrivileges } from '~contract/privileges'
import { analyzePrivileges } from './analyze'
import { plural } from './findings'

export interface SeedRow { grantee: string, privilege_type: string }

const VIEW = 'information_schema.role_table_grants'
const POWERS = [['TRUNCATE', 'canTruncate', 'truncate'], ['DELETE', 'canDelete', 'delete'], ['UPDATE', 'canUpdate', 'update'], ['INSERT', 'canInsert', 'insert']] as const

/**
 * What the seed's check (`SELECT grantee, privilege_type FROM information_schema.role_table_grants
 * WHERE grantee = $1`) would have missed: that view lists ACL entries naming the role, so it shows
 * nothing of ownership through membership, PUBLIC, predefined roles, superuser or DROP.
 */
export function seedCheckGaps(report: PrivilegeReport, seedRows: SeedRow[]): string[] {
  const { role } = report
  const shown = new Set(seedRows.filter((r) => r.grantee === role).map((r) => r.privilege_type.toUpperCase()))
  // One pass over the tables for every fact below.
  const droppable: TablePrivileges[] = []
  const able = POWERS.map(() => [] as TablePrivileges[])
  for (const t of report.tables) {
    if (t.kind !== 'table' && t.kind !== 'partitioned table') continue
    if (t.canDrop) droppable.push(t)
    POWERS.forEach(([, flag], i) => { if (t[flag]) able[i].push(t) })
  }
  const out: string[] = []
  if (report.attributes.superuser) out.push(`${VIEW} has no row saying ${role} is a superuser, yet it can do anything, including DROP DATABASE`)
  for (const [i, [priv, , power]] of POWERS.entries()) {
    const can = able[i]
    if (can.length === 0 || shown.has(priv)) continue
    const why = reasons(can, priv === 'TRUNCATE' ? 'drop' : power)
    if (priv === 'TRUNCATE' && can.every((t) => t.canDrop) && can.length === droppable.length) {
      out.push(why.single
        ? `${VIEW} shows no TRUNCATE for ${role}, but it ${why.text} and can TRUNCATE and DROP ${can.length === 1 ? 'it' : 'them'}`
        : `${VIEW} shows no TRUNCATE for ${role}, but it can TRUNCATE and DROP ${plural(can.length, 'table')}: it ${why.text}`)
    } else {
      out.push(`${VIEW} shows no ${priv} for ${role}, but it can ${priv} rows in ${plural(can.length, 'table')}: it ${why.text}`)
    }
  }
  const mentioned = out.some((s) => s.includes('and DROP them'))
  if (droppable.length > 0 && !mentioned) {
    const why = reasons(droppable, 'drop')
    out.push(why.single
      ? `${VIEW} cannot show DROP at all (PostgreSQL has no DROP privilege), but ${role} ${why.text} and can DROP ${droppable.length === 1 ? 'it' : 'them'}`
      : `${VIEW} cannot show DROP at all (PostgreSQL has no DROP privilege), but ${role} can DROP ${plural(droppable.length, 'table')}: it ${why.text}`)
  }
  if (report.database.canDrop) {
    out.push(`${VIEW} says nothing about databases, but ${role} can DROP DATABASE ${report.database.name} (it ${describe(report.database.source).replace('{n}', 'it')})`)
  }
  return out
}

/**
 * What the seed's query lists for the role, read off the report: role_table_grants shows the ACL entries
 * naming the role (an owner always has one, through acldefault), which are its direct-grant and direct
 * ownership sources. Saves the view's slow scan on big catalogs; a test holds it equal to the real query.
 */
export function directGrantRows(report: PrivilegeReport): SeedRow[] {
  const direct = (src: Source) => src.kind === 'grant' || (src.kind === 'owner' && (src.via?.length ?? 0) <= 1)
  const types = new Set<string>()
  // Tables with the same owner and ACL share one sources record (objects.ts): each is read once.
  const seen = new Set<TablePrivileges['sources']>()
  for (const t of report.tables) {
    if (seen.has(t.sources)) continue
    seen.add(t.sources)
    for (const [power, sources] of Object.entries(t.sources)) {
      if (ACL_PRIVILEGES.has(power) && sources.some(direct)) types.add(power.toUpperCase())
    }
  }
  return [...types].map((privilege_type) => ({ grantee: report.role, privilege_type }))
}

const ACL_PRIVILEGES = new Set(['select', 'insert', 'update', 'delete', 'truncate'])

/** The seed document's own check, exactly as it runs it. */
export async function seedCheckRows(pool: pg.Pool, role: string): Promise<SeedRow[]> {
  return (await pool.query<SeedRow>(`SELECT grantee, privilege_type FROM ${VIEW} WHERE grantee = $1`, [role])).rows
}

/** Runs the seed's own query and returns what it missed; pass a report already computed to skip a second analysis. */
export async function seedCheckMisses(pool: pg.Pool, role: string, report?: PrivilegeReport): Promise<string[]> {
  const [real, rows] = await Promise.all([report ?? analyzePrivileges(pool, role), seedCheckRows(pool, role)])
  return seedCheckGaps(real, rows)
}

function reasons(tables: TablePrivileges[], power: keyof TablePrivileges['sources']): { text: string, single: boolean } {
  const counts = new Map<string, number>()
  const described = new Map<Source | null, string>()
  for (const t of tables) {
    const first = t.sources[power][0] ?? null
    let why = described.get(first)
    if (why === undefined) described.set(first, why = describe(first))
    counts.set(why, (counts.get(why) ?? 0) + 1)
  }
  return { text: [...counts].map(([why, n]) => why.replace('{n}', plural(n, 'table'))).join('; '), single: counts.size === 1 }
}

function describe(source: Source | null): string {
  if (!source) return 'by a route the catalogs do not name for {n}'
  const to = source.via?.[source.via.length - 1]
  const setRole = source.setRoleOnly ? ' after SET ROLE' : ''
  switch (source.kind) {
    case 'owner': return 'owns {n}'
    case 'membership':
      if (source.grantor) return `gets it on {n} through ${to}${setRole}`
      return source.setRoleOnly ? `can SET ROLE to ${to}, which owns {n}` : `owns {n} through its membership in ${to}`
    case 'grant': return 'has a direct grant on {n}'
    case 'public': return 'gets it on {n} through PUBLIC'
    case 'predefined': return `gets it on {n} through ${to}`
    case 'superuser': return source.via ? `can SET ROLE to the superuser ${to}, which covers {n}` : 'is a superuser, which covers {n}'
  }
}
