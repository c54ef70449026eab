import type { AutoResult } from '~contract/checklists'
import { isDriftedOrMissing } from '~contract/migrations'
import { result, type CheckContext } from './context'

/** Passes when every applied migration still matches its file and none was deleted. */
export async function checkNoDrift(ctx: CheckContext): Promise<AutoResult> {
  const { migrations, tracker } = await ctx.migrations()
  if (!tracker.readable) return result(ctx, false, 'tracker unreadable', `the ${tracker.kind} tracker cannot be read: ${tracker.cause}`)
  const broken = migrations.filter(isDriftedOrMissing)
  if (broken.length) {
    return result(ctx, false, `${broken.length} drifted or missing`, broken.map((m) => `${m.name} is ${m.status}`).join(', '))
  }
  const applied = migrations.filter((m) => m.status === 'applied').length
  return result(ctx, true, `no drift (${applied} applied unchanged)`)
}
