import type pg from 'pg'
import type { TargetConfig } from '../config/schema'
import { poolFor } from '../database/pools'
import { targetPool } from '../targets/pool'

/** Migrations run with `migrationDatabaseUrl` (e.g. a separate owner role) when set, else as the app connects. */
export function migrationPool(target: TargetConfig): pg.Pool {
  return target.migrationDatabaseUrl ? poolFor({ connectionString: target.migrationDatabaseUrl }) : targetPool(target)
}

export async function serverVersionNum(pool: pg.Pool | pg.PoolClient): Promise<number> {
  const { rows } = await pool.query<{ v: string }>('SHOW server_version_num')
  return Number(rows[0].v)
}
