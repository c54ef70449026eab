import { defineEventHandler, getRouterParams } from 'h3'
import { runParamsSchema } from '../../../../../../../contract/checklists'
import { evaluateRun } from '../../../../../../checklists/runs'
import { useConsole } from '../../../../../../context'
import { audited } from '../../../../../../http/guard'
import { requireRole } from '../../../../../../http/session'
import { requireTarget } from '../../../../../../http/target'
import { validate } from '../../../../../../http/validate'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const params: Record<string, unknown> = {}
  return audited(event, { action: 'checklist.evaluate', target: target.id, params }, async () => {
    const user = requireRole(event, 'operator')
    const { run } = validate(runParamsSchema, getRouterParams(event), 'path')
    params.run = run
    const result = await evaluateRun((await useConsole()).db, target, run, user.username)
    params.status = result.status
    return result
  })
})
