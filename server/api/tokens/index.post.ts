import { defineEventHandler, setResponseStatus } from 'h3'
import { createTokenSchema } from '~contract/tokens'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { createToken } from '~server/tokens/store'

export default defineEventHandler(async (event) => guarded(event, {
  action: 'token.create', role: 'admin', body: createTokenSchema,
  handle: async ({ user, body: { name } }) => {
    const created = await createToken((await useConsole()).db, name, user.username)
    setResponseStatus(event, 201)
    return created
  },
  params: ({ body }, created) => ({ name: body?.name, id: created?.id }),
}))
