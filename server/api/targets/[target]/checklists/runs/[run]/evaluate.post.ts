import { defineEventHandler } from 'h3'
import { runParamsSchema } from '~contract/checklists'
import { evaluateRun } from '~server/checklists/runs'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'checklist.evaluate', role: 'operator', target, path: runParamsSchema,
    handle: async ({ user, path }) => evaluateRun((await useConsole()).db, target, path.run, user.username),
    params: ({ path }, result) => ({ run: path?.run, status: result?.status }),
  })
})
