import { defineEventHandler, setResponseStatus } from 'h3'
import { createTokenSchema } from '../../../contract/checklists'
import { useConsole } from '../../context'
import { audited } from '../../http/guard'
import { requireRole } from '../../http/session'
import { validBody } from '../../http/validate'
import { createToken } from '../../tokens/store'

export default defineEventHandler(async (event) => {
  const params: Record<string, unknown> = {}
  return audited(event, { action: 'token.create', params }, async () => {
    const user = requireRole(event, 'admin')
    const { name } = await validBody(event, createTokenSchema)
    params.name = name
    const created = await createToken((await useConsole()).db, name, user.username)
    params.id = created.id
    setResponseStatus(event, 201)
    return created
  })
})
