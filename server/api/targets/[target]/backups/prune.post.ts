import { defineEventHandler } from 'h3'
import { confirmBodySchema } from '~contract/http'
import { pruneBackups } from '~server/backups/retention'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'backups.prune', role: 'admin', target, body: confirmBodySchema,
    handle: async () => {
      const removed = await pruneBackups((await useConsole()).db, target, { retentionDays: target.retentionDays, keepMin: target.backupKeepMin })
      return { removed }
    },
    params: (_, result) => ({ removed: result?.removed.map((r) => r.id) }),
  })
})
