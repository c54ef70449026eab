import { defineEventHandler } from 'h3'
import { confirmBodySchema } from '../../../../../contract/api'
import { pruneBackups } from '../../../../backups/retention'
import { useConsole } from '../../../../context'
import { audited, requireConfirmation } from '../../../../http/guard'
import { requireRole } from '../../../../http/session'
import { requireTarget } from '../../../../http/target'
import { validBody } from '../../../../http/validate'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const params: Record<string, unknown> = {}
  return audited(event, { action: 'backups.prune', target: target.id, params }, async () => {
    requireRole(event, 'admin')
    requireConfirmation((await validBody(event, confirmBodySchema)).confirm, target)
    const { db } = await useConsole()
    const removed = await pruneBackups(db, target, { retentionDays: target.retentionDays, keepMin: target.backupKeepMin })
    params.removed = removed.map((r) => r.id)
    return { removed }
  })
})
