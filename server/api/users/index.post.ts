import { defineEventHandler, setResponseStatus } from 'h3'
import { createUserBodySchema } from '../../../contract/api'
import { recordAudit } from '../../audit/record'
import { createUser } from '../../auth/users'
import { useConsole } from '../../context'
import { requireRole } from '../../http/session'
import { validBody } from '../../http/validate'

export default defineEventHandler(async (event) => {
  const actor = requireRole(event, 'admin')
  const { username, password, role } = await validBody(event, createUserBodySchema)
  const { db } = await useConsole()
  const user = await createUser(db, username, password, role)
  await recordAudit(db, { actor: actor.username, action: 'user.create', params: { username, role }, outcome: 'ok' })
  setResponseStatus(event, 201)
  return user
})
