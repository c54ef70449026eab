import type pg from 'pg'
import type { AutoResult } from '~contract/checklists'
import { targetPool } from '~server/database/target-pool'
import { DEFAULT_CONNECTIONS_MAX_RATIO } from '../templates'
import { result, type CheckContext } from './context'

export interface ConnectionUse { used: number, max: number, ratio: number }

// pg_stat_activity also lists background workers; only client backends take a max_connections slot.
export async function connectionUse(pool: pg.Pool): Promise<ConnectionUse> {
  const { rows } = await pool.query<{ used: number, max: number }>(`SELECT count(*) FILTER (WHERE backend_type = 'client backend')::int AS used,
    current_setting('max_connections')::int AS max FROM pg_stat_activity`)
  const { used, max } = rows[0]
  return { used, max, ratio: used / max }
}

/** Passes when client connections stay below `maxRatio` of max_connections. */
export async function checkConnectionsHeadroom(ctx: CheckContext): Promise<AutoResult> {
  const maxRatio = ctx.params.maxRatio ?? DEFAULT_CONNECTIONS_MAX_RATIO
  const use = await connectionUse(targetPool(ctx.target, ctx.env))
  const value = `${use.used} of ${use.max} connections (${Math.round(use.ratio * 100)}%)`
  return result(ctx, use.ratio < maxRatio, value, `limit ${Math.round(maxRatio * 100)}%`)
}
