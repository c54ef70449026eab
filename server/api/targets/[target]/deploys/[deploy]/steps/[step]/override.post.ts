import { defineEventHandler } from 'h3'
import { deployStepParamsSchema, overrideStepSchema } from '~contract/deploys'
import { overrideStep } from '~server/deploys/record'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'deploys.override-step', role: 'admin', target, path: deployStepParamsSchema, body: overrideStepSchema,
    handle: async ({ user, path, body }) => {
      return overrideStep((await useConsole()).db, target, path.deploy, path.step, user.username, body.reason)
    },
    params: ({ path, body }) => ({ deploy: path?.deploy, step: path?.step, reason: body?.reason }),
  })
})
