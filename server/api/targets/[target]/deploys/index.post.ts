import { defineEventHandler, setResponseStatus } from 'h3'
import { startDeploySchema } from '~contract/deploys'
import { startDeploy } from '~server/deploys/record'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'deploys.start', role: 'operator', target, body: startDeploySchema,
    handle: async ({ user, body }) => {
      const deploy = await startDeploy((await useConsole()).db, target, user.username, body.note ?? null)
      setResponseStatus(event, 201)
      return deploy
    },
    params: ({ body }, result) => ({ note: body?.note, deploy: result?.id }),
  })
})
