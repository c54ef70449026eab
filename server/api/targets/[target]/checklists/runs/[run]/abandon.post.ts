import { defineEventHandler } from 'h3'
import { abandonSchema, runParamsSchema } from '~contract/checklists'
import { abandonRun } from '~server/checklists/runs'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'checklist.abandon', role: 'operator', target, path: runParamsSchema, body: abandonSchema,
    handle: async ({ user, path, body }) => abandonRun((await useConsole()).db, target, path.run, body.reason, user.username),
    params: ({ path, body }) => ({ run: path?.run, reason: body?.reason }),
  })
})
