import { createError, defineEventHandler, setResponseStatus } from 'h3'
import { createUserBodySchema } from '../../../contract/api'
import { recordAudit } from '../../audit/record'
import { createUser, UserExistsError } from '../../auth/users'
import { useConsole } from '../../context'
import { requireRole } from '../../http/session'
import { validBody } from '../../http/validate'

export default defineEventHandler(async (event) => {
  const actor = requireRole(event, 'admin')
  const { username, password, role } = await validBody(event, createUserBodySchema)
  const { db } = await useConsole()
  try {
    const user = await createUser(db, username, password, role)
    await recordAudit(db, { actor: actor.username, action: 'user.create', params: { username, role }, outcome: 'ok' })
    setResponseStatus(event, 201)
    return user
  } catch (err) {
    if (err instanceof UserExistsError) throw createError({ statusCode: 409, message: err.message })
    throw err
  }
})
