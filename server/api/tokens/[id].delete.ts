import { createError, defineEventHandler } from 'h3'
import { tokenParamsSchema } from '~contract/tokens'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { revokeToken } from '~server/tokens/store'

export default defineEventHandler(async (event) => {
  await guarded(event, {
    action: 'token.revoke', role: 'admin', path: tokenParamsSchema,
    handle: async ({ path: { id } }) => {
      const revoked = await revokeToken((await useConsole()).db, id)
      if (!revoked) throw createError({ statusCode: 404, message: `No live token with id ${id}` })
      return revoked
    },
    params: ({ path }, revoked) => ({ id: path?.id, name: revoked?.name }),
  })
  return { ok: true }
})
