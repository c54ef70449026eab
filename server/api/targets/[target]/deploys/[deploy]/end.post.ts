import { defineEventHandler } from 'h3'
import { deployParamsSchema, endDeploySchema } from '~contract/deploys'
import { endDeploy } from '~server/deploys/record'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'deploys.end', role: 'operator', target, path: deployParamsSchema, body: endDeploySchema,
    handle: async ({ user, path, body }) => endDeploy((await useConsole()).db, target, path.deploy, user.username, body),
    params: ({ path, body }, result) => ({ deploy: path?.deploy, outcome: result?.outcome ?? body?.outcome, reason: body?.reason, restoreJobId: result?.restoreJobId }),
  })
})
