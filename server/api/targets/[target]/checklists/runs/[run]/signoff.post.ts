import { defineEventHandler } from 'h3'
import { runParamsSchema, signOffSchema } from '~contract/checklists'
import { signOffRun } from '~server/checklists/runs'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'checklist.signoff', role: 'admin', target, path: runParamsSchema, body: signOffSchema,
    handle: async ({ user, path, body }) => {
      return signOffRun((await useConsole()).db, target, path.run, body.reason, user.username)
    },
    params: ({ path, body }) => ({ run: path?.run, reason: body?.reason }),
  })
})
