import { targetSkipMigrations } from '~server/envfile/skip-migrations'
import { result, type CheckContext } from './context'
import type { AutoResult } from '~contract/checklists'

/** Passes when the app will NOT run migrations on its next start (`SKIP_MIGRATIONS` exactly "true"). */
export async function checkSkipMigrations(ctx: CheckContext): Promise<AutoResult> {
  const state = targetSkipMigrations(ctx.target, ctx.env)
  const where = state.winner ? ` (line ${state.winner.line} of ${state.winner.file})` : ` (not set in ${state.envFile})`
  const value = `SKIP_MIGRATIONS=${state.value === null ? '(unset)' : JSON.stringify(state.value)}${where}`
  const detail = [
    state.effective ? 'Migrations are skipped on the next start.' : 'Pending migrations WILL run on the next start.',
    ...state.warnings.map((w) => w.message),
  ].join(' ')
  return result(ctx, state.effective, value, detail)
}
