import { defineEventHandler, setResponseStatus } from 'h3'
import { confirmBodySchema } from '~contract/http'
import { leftoverPathSchema } from '~contract/restore'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'
import { startDropLeftover } from '~server/restore/start'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'restore.drop', role: 'admin', target, path: leftoverPathSchema, body: confirmBodySchema,
    handle: async ({ user, path: { name } }) => {
      const jobId = await startDropLeftover((await useConsole()).db, target, user.username, name)
      setResponseStatus(event, 202)
      return { jobId }
    },
    params: ({ path }, result) => ({ name: path?.name, jobId: result?.jobId }),
  })
})
