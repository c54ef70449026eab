import { defineEventHandler, getQuery, setResponseStatus } from 'h3'
import { gateQuerySchema } from '~contract/checklists'
import { evaluateGate } from '~server/checklists/gate'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'
import { requireSessionOrToken } from '~server/http/token-auth'
import { validate } from '~server/http/validate'

// For deploy scripts: 200 when every automatic check of the phase passes, 412 with the same body when not.
export default defineEventHandler(async (event) => {
  await requireSessionOrToken(event)
  const target = await requireTarget(event)
  const { phase } = validate(gateQuerySchema, getQuery(event), 'query')
  const result = await evaluateGate((await useConsole()).db, target, phase)
  setResponseStatus(event, result.pass ? 200 : 412)
  return result
})
