import { createError, defineEventHandler, getRouterParams } from 'h3'
import { tokenParamsSchema } from '../../../contract/checklists'
import { useConsole } from '../../context'
import { audited } from '../../http/guard'
import { requireRole } from '../../http/session'
import { validate } from '../../http/validate'
import { revokeToken } from '../../tokens/store'

export default defineEventHandler(async (event) => {
  const params: Record<string, unknown> = {}
  return audited(event, { action: 'token.revoke', params }, async () => {
    requireRole(event, 'admin')
    const { id } = validate(tokenParamsSchema, getRouterParams(event), 'path')
    params.id = id
    const revoked = await revokeToken((await useConsole()).db, id)
    if (!revoked) throw createError({ statusCode: 404, message: `No live token with id ${id}` })
    params.name = revoked.name
    return { ok: true }
  })
})
