import { defineEventHandler, getRouterParams } from 'h3'
import { runParamsSchema, signOffSchema } from '../../../../../../../contract/checklists'
import { signOffRun } from '../../../../../../checklists/runs'
import { useConsole } from '../../../../../../context'
import { audited, requireConfirmation } from '../../../../../../http/guard'
import { requireRole } from '../../../../../../http/session'
import { requireTarget } from '../../../../../../http/target'
import { validate, validBody } from '../../../../../../http/validate'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const params: Record<string, unknown> = {}
  return audited(event, { action: 'checklist.signoff', target: target.id, params }, async () => {
    const user = requireRole(event, 'admin')
    const { run } = validate(runParamsSchema, getRouterParams(event), 'path')
    params.run = run
    const { reason, confirm } = await validBody(event, signOffSchema)
    params.reason = reason
    requireConfirmation(confirm, target)
    return signOffRun((await useConsole()).db, target, run, reason, user.username)
  })
})
