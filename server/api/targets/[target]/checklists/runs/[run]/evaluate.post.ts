import { defineEventHandler } from 'h3'
import { runParamsSchema } from '../../../../../../../contract/checklists'
import { evaluateRun } from '../../../../../../checklists/runs'
import { useConsole } from '../../../../../../context'
import { guarded } from '../../../../../../http/guard'
import { requireTarget } from '../../../../../../http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'checklist.evaluate', role: 'operator', target, path: runParamsSchema,
    handle: async ({ user, path }) => evaluateRun((await useConsole()).db, target, path.run, user.username),
    params: ({ path }, result) => ({ run: path?.run, status: result?.status }),
  })
})
