import { defineEventHandler } from 'h3'
import { skipMigrationsToggleSchema } from '~contract/targets'
import { readEnvFile } from '~server/envfile/read'
import { skipMigrationsState } from '~server/envfile/skip-migrations'
import { setSkipMigrations } from '~server/envfile/toggle'
import { guarded, requireConfirmation } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    action: 'skip-migrations.set', role: 'admin', target, body: skipMigrationsToggleSchema,
    handle: async ({ body: { enabled, confirm } }) => {
      requireConfirmation(confirm, target)
      const { backup } = setSkipMigrations(target.envFile, enabled)
      return { ...skipMigrationsState(readEnvFile(target.envFile)), backup }
    },
    params: ({ body }) => ({ enabled: body?.enabled }),
  })
})
