import { defineEventHandler } from 'h3'
import { deployStepParamsSchema } from '~contract/deploys'
import { checkStep } from '~server/deploys/record'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'deploys.check-step', role: 'operator', target, path: deployStepParamsSchema,
    handle: async ({ user, path }) => checkStep((await useConsole()).db, target, path.deploy, path.step, user.username),
    params: ({ path }, result) => ({ deploy: path?.deploy, step: path?.step, status: result?.steps.find((s) => s.key === path?.step)?.status }),
  })
})
