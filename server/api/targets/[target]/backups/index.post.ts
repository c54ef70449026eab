import { defineEventHandler, setResponseStatus } from 'h3'
import { takeBackupSchema } from '../../../../../contract/api'
import { startBackup } from '../../../../backups/start'
import { useConsole } from '../../../../context'
import { audited, requireConfirmation } from '../../../../http/guard'
import { requireRole } from '../../../../http/session'
import { requireTarget } from '../../../../http/target'
import { validBody } from '../../../../http/validate'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const params: Record<string, unknown> = {}
  return audited(event, { action: 'backups.take', target: target.id, params }, async () => {
    const user = requireRole(event, 'operator')
    const { confirm, label } = await validBody(event, takeBackupSchema)
    params.label = label
    requireConfirmation(confirm, target)
    const jobId = await startBackup((await useConsole()).db, target, user.username, label)
    params.jobId = jobId
    setResponseStatus(event, 202)
    return { jobId }
  })
})
