import { createError, defineEventHandler, getRouterParam, setResponseStatus } from 'h3'
import { resolveBackup } from '../../../../../backups/paths'
import { startVerify } from '../../../../../backups/start'
import { useConsole } from '../../../../../context'
import { guarded } from '../../../../../http/guard'
import { requireTarget } from '../../../../../http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const id = getRouterParam(event, 'backup', { decode: true }) ?? ''
  return guarded(event, {
    action: 'backups.verify', role: 'operator', target,
    handle: async ({ user }) => {
      if (!(await resolveBackup(target, id))) throw createError({ statusCode: 404, message: `No backup "${id}" in ${target.label}` })
      const jobId = await startVerify((await useConsole()).db, target, user.username, id)
      setResponseStatus(event, 202)
      return { jobId }
    },
    params: () => ({ backup: id }),
  })
})
