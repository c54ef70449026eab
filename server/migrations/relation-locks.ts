import type pg from 'pg'
import type { RelationLock } from '~contract/rehearsal'

interface RelationInfo { schema: string, name: string, kind: string, sizeBytes: number, rowEstimate: number }
export type RelationSnapshot = Map<number, RelationInfo>

const KINDS: Record<string, string> = {
  r: 'table', p: 'partitioned table', i: 'index', I: 'partitioned index', S: 'sequence',
  m: 'materialized view', v: 'view', f: 'foreign table', c: 'composite type',
}
const STRONGEST_FIRST = ['AccessExclusiveLock', 'ExclusiveLock', 'ShareRowExclusiveLock', 'ShareLock',
  'ShareUpdateExclusiveLock', 'RowExclusiveLock', 'RowShareLock', 'AccessShareLock']
const USER_RELATIONS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'`

/**
 * The user relations as they are before a migration: a relation it drops is gone from pg_class by the
 * time its locks are read, and a table it rewrites is measured at the size the real run will meet.
 */
export async function relationSnapshot(client: pg.ClientBase): Promise<RelationSnapshot> {
  const { rows } = await client.query<{ oid: number } & RelationInfo>(`
    SELECT c.oid::int8::float8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
           pg_total_relation_size(c.oid)::float8 AS "sizeBytes", c.reltuples::float8 AS "rowEstimate"
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_RELATIONS}`)
  return new Map(rows.map(({ oid, ...r }) => [oid, r]))
}

/**
 * The relation locks this session's transaction holds, one entry per relation. Read before COMMIT:
 * PostgreSQL keeps a transaction's locks until it ends, so this is every relation the migration locked.
 */
export async function heldRelationLocks(client: pg.ClientBase, before: RelationSnapshot): Promise<RelationLock[]> {
  const { rows } = await client.query<{ oid: number, modes: string[], current: RelationInfo | null }>(`
    SELECT l.relation::int8::float8 AS oid, array_agg(DISTINCT l.mode) AS modes,
           (SELECT json_build_object('schema', n.nspname, 'name', c.relname, 'kind', c.relkind,
                     'sizeBytes', pg_total_relation_size(c.oid), 'rowEstimate', c.reltuples)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.oid = l.relation AND ${USER_RELATIONS}) AS current
      FROM pg_locks l
     WHERE l.locktype = 'relation' AND l.pid = pg_backend_pid()
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     GROUP BY l.relation`)
  const locks: RelationLock[] = []
  for (const r of rows) {
    const was = before.get(r.oid)
    const info = was ?? r.current
    // Neither before nor now a user relation: a catalog the migration (or this query) read.
    if (!info) continue
    locks.push({
      schema: info.schema, name: info.name, kind: KINDS[info.kind] ?? info.kind,
      modes: r.modes.sort((a, b) => rank(a) - rank(b)).map(sqlMode),
      sizeBytes: Number(info.sizeBytes), rowEstimate: Math.round(Number(info.rowEstimate)),
      ...(!was ? { createdHere: true } : {}), ...(was && !r.current ? { droppedHere: true } : {}),
    })
  }
  return locks
}

/** Every ACCESS EXCLUSIVE lock, and the `top` largest relations among the rest. */
export function notableLocks(locks: RelationLock[], top = 5): { locks: RelationLock[], omitted: number } {
  const exclusive = locks.filter((l) => l.modes[0] === 'ACCESS EXCLUSIVE')
  const rest = locks.filter((l) => l.modes[0] !== 'ACCESS EXCLUSIVE').sort((a, b) => b.sizeBytes - a.sizeBytes)
  const kept = [...exclusive, ...rest.slice(0, top)].sort((a, b) => b.sizeBytes - a.sizeBytes || a.name.localeCompare(b.name))
  return { locks: kept, omitted: locks.length - kept.length }
}

const rank = (mode: string) => {
  const i = STRONGEST_FIRST.indexOf(mode)
  return i < 0 ? STRONGEST_FIRST.length : i
}

// "ShareRowExclusiveLock" → "SHARE ROW EXCLUSIVE", the name LOCK TABLE and the documentation use.
const sqlMode = (mode: string) => mode.replace(/Lock$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()
