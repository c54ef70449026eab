import { createError, defineEventHandler } from 'h3'
import { z } from 'zod'
import { updateUserBodySchema } from '~contract/auth'
import { countAdmins, findUser, updateUser } from '~server/auth/users'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { currentSessionId } from '~server/http/session'

const userParams = z.object({ id: z.coerce.number().int().positive() })

export default defineEventHandler(async (event) => guarded(event, {
  action: 'user.update', role: 'admin', path: userParams, body: updateUserBodySchema,
  handle: async ({ user: actor, path: { id }, body }) => {
    const { db } = await useConsole()
    const user = await findUser(db, id)
    if (!user) throw createError({ statusCode: 404, message: `No user with id ${id}` })
    if (user.role === 'admin' && body.role && body.role !== 'admin' && await countAdmins(db) <= 1) {
      throw createError({ statusCode: 409, message: 'Cannot demote the last admin' })
    }
    const updated = await updateUser(db, id, body, user.id === actor.id ? await currentSessionId(event) : undefined)
    if (!updated) throw createError({ statusCode: 404, message: `No user with id ${id}` })
    return updated
  },
  // Never the password itself: only that it changed (under a key the audit's secret filter leaves readable).
  params: ({ path, body }, user) => ({
    id: path?.id, username: user?.username, role: body?.role,
    changed: [body?.role && 'role', body?.password !== undefined && 'password'].filter(Boolean),
  }),
}))
