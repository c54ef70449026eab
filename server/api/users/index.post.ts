import { defineEventHandler, setResponseStatus } from 'h3'
import { createUserBodySchema } from '~contract/auth'
import { createUser } from '~server/auth/users'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'

export default defineEventHandler(async (event) => guarded(event, {
  action: 'user.create', role: 'admin', body: createUserBodySchema,
  handle: async ({ body: { username, password, role } }) => {
    const user = await createUser((await useConsole()).db, username, password, role)
    setResponseStatus(event, 201)
    return user
  },
  params: ({ body }) => ({ username: body?.username, role: body?.role }),
}))
