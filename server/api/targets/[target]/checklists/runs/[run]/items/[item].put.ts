import { defineEventHandler, getRouterParams } from 'h3'
import { itemParamsSchema, tickSchema } from '../../../../../../../../contract/checklists'
import { tickItem } from '../../../../../../../checklists/runs'
import { useConsole } from '../../../../../../../context'
import { audited } from '../../../../../../../http/guard'
import { requireRole } from '../../../../../../../http/session'
import { requireTarget } from '../../../../../../../http/target'
import { validate, validBody } from '../../../../../../../http/validate'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const params: Record<string, unknown> = {}
  return audited(event, { action: 'checklist.tick', target: target.id, params }, async () => {
    const user = requireRole(event, 'operator')
    const { run, item } = validate(itemParamsSchema, getRouterParams(event), 'path')
    Object.assign(params, { run, item })
    const body = await validBody(event, tickSchema)
    Object.assign(params, { done: body.done, note: body.note })
    const result = await tickItem((await useConsole()).db, target, run, item, body, user.username)
    params.status = result.status
    return result
  })
})
