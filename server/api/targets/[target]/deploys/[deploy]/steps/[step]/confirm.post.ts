import { defineEventHandler } from 'h3'
import { confirmStepSchema, deployStepParamsSchema } from '~contract/deploys'
import { confirmRestart } from '~server/deploys/record'
import { useConsole } from '~server/context'
import { RefusedError } from '~server/errors'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

// Only the restart is confirmed by a person: every other step is checked against live state.
export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'deploys.confirm-restart', role: 'operator', target, path: deployStepParamsSchema, body: confirmStepSchema,
    handle: async ({ user, path, body }) => {
      if (path.step !== 'restart') throw new RefusedError(`"${path.step}" is checked, not confirmed: only the restart is confirmed by a person`, { code: 'not-confirmable', status: 400 })
      return confirmRestart((await useConsole()).db, target, path.deploy, user.username, body.note ?? null)
    },
    params: ({ path, body }) => ({ deploy: path?.deploy, step: path?.step, note: body?.note }),
  })
})
