import { defineEventHandler } from 'h3'
import { skipMigrationsToggleSchema } from '../../../../contract/api'
import { readEnvFile } from '../../../envfile/read'
import { skipMigrationsState } from '../../../envfile/skip-migrations'
import { setSkipMigrations } from '../../../envfile/toggle'
import { audited, requireConfirmation } from '../../../http/guard'
import { requireRole } from '../../../http/session'
import { requireTarget } from '../../../http/target'
import { validBody } from '../../../http/validate'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const params: Record<string, unknown> = {}
  return audited(event, { action: 'skip-migrations.set', target: target.id, params }, async () => {
    requireRole(event, 'admin')
    const { enabled, confirm } = await validBody(event, skipMigrationsToggleSchema)
    params.enabled = enabled
    requireConfirmation(confirm, target)
    const { backup } = setSkipMigrations(target.envFile, enabled)
    return { ...skipMigrationsState(readEnvFile(target.envFile)), backup }
  })
})
