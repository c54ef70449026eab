import { defineEventHandler, setResponseStatus } from 'h3'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'
import { startRehearsal } from '~server/migrations/start-rehearsal'

// Only reads the target and works on a scratch copy: no typed confirmation.
export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'migrations.rehearse', role: 'operator', target,
    handle: async ({ user }) => {
      const jobId = await startRehearsal((await useConsole()).db, target, user.username)
      setResponseStatus(event, 202)
      return { jobId }
    },
    params: (_request, result) => result && { jobId: result.jobId },
  })
})
