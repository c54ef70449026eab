import type { AutoResult } from '~contract/checklists'
import { targetPool } from '~server/database/target-pool'
import { errorText } from '~server/database/error-text'
import { result, type CheckContext } from './context'

/** Passes when both the console's own database and the target database answer a query. */
export async function checkReachable(ctx: CheckContext): Promise<AutoResult> {
  const [consoleDb, target] = await Promise.all([
    probe(async () => { await ctx.consoleDb.query('SELECT 1') }),
    probe(async () => {
      const { rows } = await targetPool(ctx.target, ctx.env).query<{ v: string }>(`SELECT current_setting('server_version') AS v`)
      return `PostgreSQL ${rows[0].v}`
    }),
  ])
  const value = `console ${consoleDb.ok ? 'answers' : 'unreachable'}, target ${target.ok ? `answers (${target.text})` : 'unreachable'}`
  const problems = [consoleDb.ok ? null : `console: ${consoleDb.text}`, target.ok ? null : `target: ${target.text}`].filter(Boolean)
  return result(ctx, consoleDb.ok && target.ok, value, problems.join('; ') || undefined)
}

async function probe(fn: () => Promise<string | void>): Promise<{ ok: boolean, text: string }> {
  try {
    return { ok: true, text: (await fn()) ?? '' }
  } catch (err) {
    return { ok: false, text: errorText(err) }
  }
}
