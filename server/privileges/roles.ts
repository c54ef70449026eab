import type pg from 'pg'
import type { Membership } from '~contract/privileges'

/** One way into a role the reviewed role belongs to: the first link of a chain, with who granted it. */
export interface Hop { role: string, grantors: string[] }

export interface MemberInfo extends Membership {
  /** Its powers are usable, directly or after SET ROLE to some role in the chain. */
  usable: boolean
  /** A chain along which every link allows SET ROLE, when there is one. */
  setVia: string[] | null
  superuser: boolean
  /** First links of every chain along which its powers are usable. */
  hops: Hop[]
}

export interface RoleGraph {
  members: Map<string, MemberInfo>
  /** Chain to a superuser role the reviewed role can SET ROLE to. */
  superVia: string[] | null
}

// Before 16 a link inherits when the *member* has rolinherit and SET ROLE is always allowed;
// from 16 each grant carries inherit_option and set_option. The database owner is implicitly a
// member of pg_database_owner (14+), which no catalog row records.
const EDGES_16 = `SELECT m.member, m.roleid, bool_or(m.inherit_option) AS inh, bool_or(m.set_option) AS setopt,
    array_agg(DISTINCT pg_get_userbyid(m.grantor)::text) AS grantors
  FROM pg_auth_members m GROUP BY m.member, m.roleid`
const EDGES_OLD = `SELECT m.member, m.roleid, mr.rolinherit AS inh, true AS setopt,
    array_agg(DISTINCT pg_get_userbyid(m.grantor)::text) AS grantors
  FROM pg_auth_members m JOIN pg_roles mr ON mr.oid = m.member GROUP BY m.member, m.roleid, mr.rolinherit`

const pathsSql = (version: number) => `
WITH RECURSIVE me AS (SELECT oid FROM pg_roles WHERE rolname = $1),
edges AS (
  ${version >= 160000 ? EDGES_16 : EDGES_OLD}
  UNION ALL
  SELECT d.datdba, o.oid, ${version >= 160000 ? 'true' : 'dba.rolinherit'}, true, ARRAY[]::text[]
  FROM pg_database d JOIN pg_roles dba ON dba.oid = d.datdba JOIN pg_roles o ON o.rolname = 'pg_database_owner'
  WHERE d.datname = current_database()
),
walk AS (
  SELECT e.roleid AS role, ARRAY[me.oid, e.roleid] AS path, e.inh AS all_inh, e.setopt AS all_set,
    (e.inh OR e.setopt) AS usable, e.grantors
  FROM edges e JOIN me ON e.member = me.oid
  UNION ALL
  SELECT e.roleid, w.path || e.roleid, w.all_inh AND e.inh, w.all_set AND e.setopt,
    (w.usable AND e.inh) OR (w.all_set AND e.setopt), w.grantors
  FROM walk w JOIN edges e ON e.member = w.role
  WHERE NOT e.roleid = ANY(w.path) AND cardinality(w.path) < 32
)
SELECT r.rolname AS role, r.rolsuper AS superuser, w.all_inh, w.all_set, w.usable, w.grantors,
  ARRAY(SELECT pr.rolname::text FROM unnest(w.path) WITH ORDINALITY u(oid, i) JOIN pg_roles pr ON pr.oid = u.oid ORDER BY u.i) AS via
FROM walk w JOIN pg_roles r ON r.oid = w.role
ORDER BY cardinality(w.path), r.rolname`

interface PathRow { role: string, superuser: boolean, all_inh: boolean, all_set: boolean, usable: boolean, grantors: string[], via: string[] }

/** Every role the given role belongs to, directly or transitively, with how its powers flow. */
export async function loadRoleGraph(pool: pg.Pool, role: string, version: number): Promise<RoleGraph> {
  const { rows } = await pool.query<PathRow>(pathsSql(version), [role])
  return foldPaths(rows)
}

export function foldPaths(rows: PathRow[]): RoleGraph {
  const members = new Map<string, MemberInfo>()
  for (const row of rows) {
    let m = members.get(row.role)
    if (!m) {
      m = { role: row.role, via: row.via, inherited: false, setRole: false, predefined: row.role.startsWith('pg_'),
        usable: false, setVia: null, superuser: row.superuser, hops: [] }
      members.set(row.role, m)
    }
    if (row.all_inh && !m.inherited) { m.inherited = true; m.via = row.via }
    if (row.all_set && !m.setVia) { m.setRole = true; m.setVia = row.via }
    if (row.usable) {
      if (!m.usable && !m.inherited) m.via = row.via
      m.usable = true
      addHop(m.hops, row.via[1], row.grantors)
    }
  }
  let superVia: string[] | null = null
  for (const m of members.values()) if (m.superuser && m.setVia && !superVia) superVia = m.setVia
  return { members, superVia }
}

export function publicMemberships(graph: RoleGraph): Membership[] {
  return [...graph.members.values()].map(({ role, via, inherited, setRole, predefined }) => ({ role, via, inherited, setRole, predefined }))
}

function addHop(hops: Hop[], role: string, grantors: string[]) {
  const hop = hops.find((h) => h.role === role)
  if (!hop) hops.push({ role, grantors: [...grantors] })
  else for (const g of grantors) if (!hop.grantors.includes(g)) hop.grantors.push(g)
}
