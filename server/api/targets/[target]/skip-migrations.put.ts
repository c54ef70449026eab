import { defineEventHandler } from 'h3'
import { skipMigrationsToggleSchema } from '~contract/targets'
import { targetSkipMigrations } from '~server/envfile/skip-migrations'
import { setTargetSkipMigrations } from '~server/envfile/toggle'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'skip-migrations.set', role: 'admin', target, body: skipMigrationsToggleSchema,
    handle: async ({ body: { enabled } }) => {
      const { backup } = setTargetSkipMigrations(target, enabled)
      return { ...targetSkipMigrations(target), backup }
    },
    params: ({ body }) => ({ enabled: body?.enabled }),
  })
})
