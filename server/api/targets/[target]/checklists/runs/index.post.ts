import { defineEventHandler, setResponseStatus } from 'h3'
import { startRunSchema } from '../../../../../../contract/checklists'
import { startRun } from '../../../../../checklists/runs'
import { useConsole } from '../../../../../context'
import { audited } from '../../../../../http/guard'
import { requireRole } from '../../../../../http/session'
import { requireTarget } from '../../../../../http/target'
import { validBody } from '../../../../../http/validate'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const params: Record<string, unknown> = {}
  return audited(event, { action: 'checklist.start', target: target.id, params }, async () => {
    const user = requireRole(event, 'operator')
    const { phase } = await validBody(event, startRunSchema)
    params.phase = phase
    const run = await startRun((await useConsole()).db, target, phase, user.username)
    Object.assign(params, { run: run.id, status: run.status })
    setResponseStatus(event, 201)
    return run
  })
})
