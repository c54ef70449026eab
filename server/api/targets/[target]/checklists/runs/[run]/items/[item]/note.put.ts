import { defineEventHandler } from 'h3'
import { itemParamsSchema, noteSchema } from '~contract/checklists'
import { noteItem } from '~server/checklists/runs'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'checklist.note', role: 'operator', target, path: itemParamsSchema, body: noteSchema,
    handle: async ({ user, path, body }) => noteItem((await useConsole()).db, target, path.run, path.item, body.note, user.username),
    params: ({ path, body }) => ({ run: path?.run, item: path?.item, note: body?.note }),
  })
})
