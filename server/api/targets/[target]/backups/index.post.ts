import { defineEventHandler, setResponseStatus } from 'h3'
import { takeBackupSchema } from '~contract/backups'
import { startBackup } from '~server/backups/start'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'backups.take', role: 'operator', target, body: takeBackupSchema,
    handle: async ({ user, body: { label } }) => {
      const jobId = await startBackup((await useConsole()).db, target, user.username, label)
      setResponseStatus(event, 202)
      return { jobId }
    },
    params: ({ body }, result) => ({ label: body?.label, jobId: result?.jobId }),
  })
})
