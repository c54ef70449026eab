import { defineEventHandler, setResponseStatus } from 'h3'
import { useConsole } from '../../../../context'
import { guarded } from '../../../../http/guard'
import { requireTarget } from '../../../../http/target'
import { startRehearsal } from '../../../../migrations/start-rehearsal'

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
