import { defineEventHandler } from 'h3'
import { confirmBodySchema } from '../../../../../contract/http'
import { pruneBackups } from '../../../../backups/retention'
import { useConsole } from '../../../../context'
import { guarded, requireConfirmation } from '../../../../http/guard'
import { requireTarget } from '../../../../http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'backups.prune', role: 'admin', target, body: confirmBodySchema,
    handle: async ({ body }) => {
      requireConfirmation(body.confirm, target)
      const removed = await pruneBackups((await useConsole()).db, target, { retentionDays: target.retentionDays, keepMin: target.backupKeepMin })
      return { removed }
    },
    params: (_, result) => ({ removed: result?.removed.map((r) => r.id) }),
  })
})
