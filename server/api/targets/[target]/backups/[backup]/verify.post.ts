import { createError, defineEventHandler, getRouterParam, setResponseStatus } from 'h3'
import { resolveBackup } from '~server/backups/paths'
import { startVerify } from '~server/backups/start'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

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
