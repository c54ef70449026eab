import { createError, defineEventHandler, getRouterParam, setResponseStatus } from 'h3'
import { resolveBackup } from '../../../../../backups/paths'
import { startVerify } from '../../../../../backups/start'
import { useConsole } from '../../../../../context'
import { audited } from '../../../../../http/guard'
import { requireRole } from '../../../../../http/session'
import { requireTarget } from '../../../../../http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const id = getRouterParam(event, 'backup', { decode: true }) ?? ''
  return audited(event, { action: 'backups.verify', target: target.id, params: { backup: id } }, async () => {
    const user = requireRole(event, 'operator')
    if (!(await resolveBackup(target, id))) throw createError({ statusCode: 404, message: `No backup "${id}" in ${target.label}` })
    const jobId = await startVerify((await useConsole()).db, target, user.username, id)
    setResponseStatus(event, 202)
    return { jobId }
  })
})
