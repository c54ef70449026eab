import { createError, defineEventHandler, setResponseStatus } from 'h3'
import { migrationRunSchema } from '../../../../../contract/api'
import { useConsole } from '../../../../context'
import { audited, requireConfirmation } from '../../../../http/guard'
import { requireRole } from '../../../../http/session'
import { requireTarget } from '../../../../http/target'
import { targetCall } from '../../../../http/target-call'
import { validBody } from '../../../../http/validate'
import { newestUsableBackupAt } from '../../../../migrations/backup-freshness'
import { MigrationBusyError, startMigrationRun } from '../../../../migrations/start-run'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const params: Record<string, unknown> = {}
  return audited(event, { action: 'migrations.run', target: target.id, params }, async () => {
    const user = requireRole(event, 'admin')
    const body = await validBody(event, migrationRunSchema)
    Object.assign(params, { upTo: body.upTo, acknowledge: body.acknowledge, overrideReason: body.override?.reason, idempotencyKey: body.idempotencyKey })
    requireConfirmation(body.confirm, target)
    const { db } = await useConsole()
    const result = await targetCall(target, () => startMigrationRun(db, target, user.username, body, () => newestUsableBackupAt(db, target)))
      .catch((err) => {
        if (err instanceof MigrationBusyError) throw createError({ statusCode: 409, message: err.message })
        throw err
      })
    if ('refusal' in result) {
      const { status, code, message, data } = result.refusal
      throw createError({ statusCode: status, message, data: { code, ...data } })
    }
    params.jobId = result.jobId
    setResponseStatus(event, 202)
    return { jobId: result.jobId }
  })
})
