import { defineEventHandler } from 'h3'
import { loadBackupFreshness } from '~server/backups/freshness'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => loadBackupFreshness((await useConsole()).db, await requireTarget(event)))
