import { defineEventHandler } from 'h3'
import { acknowledgePrivilegesSchema, deployParamsSchema } from '~contract/deploys'
import { acknowledgePrivileges } from '~server/deploys/record'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

// New destructive powers of the app role pass the post-deploy gate only once an admin says why they are wanted.
export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'deploys.acknowledge-privileges', role: 'admin', target, path: deployParamsSchema, body: acknowledgePrivilegesSchema,
    handle: async ({ user, path, body }) => {
      return acknowledgePrivileges((await useConsole()).db, target, path.deploy, user.username, body.reason)
    },
    params: ({ path, body }, result) => ({ deploy: path?.deploy, reason: body?.reason, acknowledged: result?.privileges?.diff?.added.filter((c) => c.destructive).map((c) => c.entry) }),
  })
})
