import { defineEventHandler, setResponseStatus } from 'h3'
import { undoRestoreSchema } from '~contract/restore'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'
import { startUndoRestore } from '~server/restore/start'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'restore.undo', role: 'admin', target, body: undoRestoreSchema,
    handle: async ({ user, body: { stamp } }) => {
      const jobId = await startUndoRestore((await useConsole()).db, target, user.username, stamp)
      setResponseStatus(event, 202)
      return { jobId }
    },
    params: ({ body }, result) => ({ stamp: body?.stamp, jobId: result?.jobId }),
  })
})
