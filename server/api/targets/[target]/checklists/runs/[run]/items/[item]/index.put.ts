import { defineEventHandler } from 'h3'
import { itemParamsSchema, tickSchema } from '~contract/checklists'
import { tickItem } from '~server/checklists/runs'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'checklist.tick', role: 'operator', target, path: itemParamsSchema, body: tickSchema,
    handle: async ({ user, path, body }) => tickItem((await useConsole()).db, target, path.run, path.item, body, user.username),
    params: ({ path, body }, result) => ({ run: path?.run, item: path?.item, done: body?.done, note: body?.note, status: result?.status }),
  })
})
