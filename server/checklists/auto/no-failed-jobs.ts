import type { AutoResult } from '../../../contract/checklists'
import { formatInstant, result, type CheckContext } from './context'

interface FailedJob { id: number, kind: string, status: string, error: string | null }

/** Passes when no console job of this target failed or was interrupted inside the window. */
export async function checkNoFailedJobs(ctx: CheckContext): Promise<AutoResult> {
  const { rows } = await ctx.consoleDb.query<FailedJob>(
    `SELECT id, kind, status, error FROM jobs WHERE target = $1 AND status IN ('failed', 'interrupted')
     AND coalesce(finished_at, created_at) >= $2 ORDER BY id DESC`, [ctx.target.id, ctx.jobsSince])
  const since = formatInstant(ctx.jobsSince)
  if (!rows.length) return result(ctx, true, `none since ${since}`)
  const detail = rows.slice(0, 5).map((j) => `#${j.id} ${j.kind} ${j.status}${j.error ? `: ${j.error}` : ''}`).join('; ')
  return result(ctx, false, `${rows.length} failed or interrupted since ${since}`, detail)
}
