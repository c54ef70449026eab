import { defineEventHandler, setResponseStatus } from 'h3'
import { confirmBodySchema } from '~contract/http'
import { backupPathSchema } from '~contract/restore'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'
import { startEmergencyRestore } from '~server/restore/start'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'restore.emergency', role: 'admin', target, path: backupPathSchema, body: confirmBodySchema,
    handle: async ({ user, path: { backup } }) => {
      const jobId = await startEmergencyRestore((await useConsole()).db, target, user.username, backup)
      setResponseStatus(event, 202)
      return { jobId }
    },
    params: ({ path }, result) => ({ backup: path?.backup, jobId: result?.jobId }),
  })
})
