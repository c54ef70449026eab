import { defineEventHandler } from 'h3'
import { skipMigrationsToggleSchema } from '../../../../contract/targets'
import { readEnvFile } from '../../../envfile/read'
import { skipMigrationsState } from '../../../envfile/skip-migrations'
import { setSkipMigrations } from '../../../envfile/toggle'
import { guarded, requireConfirmation } from '../../../http/guard'
import { requireTarget } from '../../../http/target'

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
