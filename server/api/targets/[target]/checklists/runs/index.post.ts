import { defineEventHandler, setResponseStatus } from 'h3'
import { startRunSchema } from '~contract/checklists'
import { startRun } from '~server/checklists/runs'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'checklist.start', role: 'operator', target, body: startRunSchema,
    handle: async ({ user, body }) => {
      const run = await startRun((await useConsole()).db, target, body.phase, user.username)
      setResponseStatus(event, 201)
      return run
    },
    params: ({ body }, run) => ({ phase: body?.phase, run: run?.id, status: run?.status }),
  })
})
