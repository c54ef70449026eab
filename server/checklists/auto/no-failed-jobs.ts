import type { AutoResult } from '~contract/checklists'
import { listFailedJobs } from '~server/jobs/store'
import { formatInstant, result, type CheckContext } from './context'

/** Passes when no console job of this target failed or was interrupted inside the window. */
export async function checkNoFailedJobs(ctx: CheckContext): Promise<AutoResult> {
  const rows = await listFailedJobs(ctx.consoleDb, ctx.target.id, ctx.jobsSince)
  const since = formatInstant(ctx.jobsSince)
  if (!rows.length) return result(ctx, true, `none since ${since}`)
  const detail = rows.slice(0, 5).map((j) => `#${j.id} ${j.kind} ${j.status}${j.error ? `: ${j.error}` : ''}`).join('; ')
  return result(ctx, false, `${rows.length} failed or interrupted since ${since}`, detail)
}
