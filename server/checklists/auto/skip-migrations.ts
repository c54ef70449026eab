import { isPendingOrFailed } from '~contract/migrations'
import { targetSkipMigrations } from '~server/envfile/skip-migrations'
import { result, type CheckContext } from './context'
import type { AutoResult } from '~contract/checklists'

/** Passes when the app will NOT run migrations on its next start (`SKIP_MIGRATIONS` exactly "true"). */
export async function checkSkipMigrations(ctx: CheckContext): Promise<AutoResult> {
  const state = targetSkipMigrations(ctx.target, ctx.env)
  const where = state.winner ? ` (line ${state.winner.line} of ${state.winner.file})` : ` (not set in ${state.envFile})`
  const value = `SKIP_MIGRATIONS=${state.value === null ? '(unset)' : JSON.stringify(state.value)}${where}`
  const detail = [
    state.effective ? 'Migrations are skipped on the next start.' : await whatRuns(ctx),
    ...state.warnings.map((w) => w.message),
  ].join(' ')
  return result(ctx, state.effective, value, detail)
}

/** Worded from the same read of the tracker as the no-pending item beside it, so the two never disagree. */
async function whatRuns(ctx: CheckContext): Promise<string> {
  const status = await ctx.migrations().catch(() => null)
  if (!status || !status.tracker.readable) return 'Whatever is pending WILL run on the next start (the tracker cannot be read to say what).'
  const waiting = status.migrations.filter(isPendingOrFailed).length
  if (waiting === 0) return 'Migrations run on the next start, but none is pending now: set it before a deploy brings new ones.'
  return `${waiting === 1 ? '1 pending migration' : `${waiting} pending migrations`} WILL run on the next start.`
}
