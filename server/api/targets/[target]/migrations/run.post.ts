import { defineEventHandler, setResponseStatus } from 'h3'
import { migrationRunSchema } from '../../../../../contract/api'
import { useConsole } from '../../../../context'
import { audited, requireConfirmation } from '../../../../http/guard'
import { requireRole } from '../../../../http/session'
import { requireTarget } from '../../../../http/target'
import { validBody } from '../../../../http/validate'
import { newestUsableBackupAt } from '../../../../migrations/backup-freshness'
import { startMigrationRun } from '../../../../migrations/start-run'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const params: Record<string, unknown> = {}
  return audited(event, { action: 'migrations.run', target: target.id, params }, async () => {
    const user = requireRole(event, 'admin')
    const body = await validBody(event, migrationRunSchema)
    Object.assign(params, { upTo: body.upTo, acknowledge: body.acknowledge, overrideReason: body.override?.reason, idempotencyKey: body.idempotencyKey })
    requireConfirmation(body.confirm, target)
    const { db } = await useConsole()
    const result = await startMigrationRun(db, target, user.username, body, () => newestUsableBackupAt(db, target))
    if ('refusal' in result) throw result.refusal
    params.jobId = result.jobId
    setResponseStatus(event, 202)
    return { jobId: result.jobId }
  })
})
