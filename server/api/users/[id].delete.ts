import { createError, defineEventHandler } from 'h3'
import { z } from 'zod'
import { countAdmins, deleteUser, findUser } from '~server/auth/users'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'

const userParams = z.object({ id: z.coerce.number().int().positive() })

export default defineEventHandler(async (event) => {
  await guarded(event, {
    action: 'user.delete', role: 'admin', path: userParams,
    handle: async ({ user: actor, path: { id } }) => {
      const { db } = await useConsole()
      const user = await findUser(db, id)
      if (!user) throw createError({ statusCode: 404, message: `No user with id ${id}` })
      if (user.id === actor.id) throw createError({ statusCode: 409, message: 'You cannot delete yourself' })
      if (user.role === 'admin' && await countAdmins(db) <= 1) throw createError({ statusCode: 409, message: 'Cannot delete the last admin' })
      await deleteUser(db, id)
      return user
    },
    params: ({ path }, user) => ({ id: path?.id, username: user?.username }),
  })
  return { ok: true }
})
