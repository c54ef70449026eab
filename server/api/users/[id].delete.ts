import { createError, defineEventHandler, getRouterParams } from 'h3'
import { z } from 'zod'
import { recordAudit } from '../../audit/record'
import { countAdmins, deleteUser, findUser } from '../../auth/users'
import { useConsole } from '../../context'
import { requireRole } from '../../http/session'
import { validate } from '../../http/validate'

const params = z.object({ id: z.coerce.number().int().positive() })

export default defineEventHandler(async (event) => {
  const actor = requireRole(event, 'admin')
  const { id } = validate(params, getRouterParams(event), 'path')
  const { db } = await useConsole()
  const user = await findUser(db, id)
  if (!user) throw createError({ statusCode: 404, message: `No user with id ${id}` })
  if (user.id === actor.id) throw createError({ statusCode: 409, message: 'You cannot delete yourself' })
  if (user.role === 'admin' && await countAdmins(db) <= 1) throw createError({ statusCode: 409, message: 'Cannot delete the last admin' })
  await deleteUser(db, id)
  await recordAudit(db, { actor: actor.username, action: 'user.delete', params: { username: user.username }, outcome: 'ok' })
  return { ok: true }
})
