import type { AutoResult } from '~contract/checklists'
import { isPendingOrFailed } from '~contract/migrations'
import { result, type CheckContext } from './context'

/** Passes when every migration file has been applied: nothing pending, nothing left failed. */
export async function checkNoPending(ctx: CheckContext): Promise<AutoResult> {
  const { migrations, tracker } = await ctx.migrations()
  if (!tracker.readable) return result(ctx, false, 'tracker unreadable', `the ${tracker.kind} tracker cannot be read: ${tracker.cause}`)
  const waiting = migrations.filter(isPendingOrFailed)
  if (waiting.length) {
    return result(ctx, false, `${waiting.length} not applied`, waiting.map((m) => `${m.name} is ${m.status}`).join(', '))
  }
  return result(ctx, true, `all ${migrations.length} applied`)
}
