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
  // A refused request is recorded with the user it asked for, as far as its body names one.
  params: ({ body, rawBody }) => {
    const asked = (body ?? rawBody ?? {}) as { username?: unknown, role?: unknown }
    const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 64) : undefined)
    return { username: text(asked.username), role: text(asked.role) }
  },
}))
