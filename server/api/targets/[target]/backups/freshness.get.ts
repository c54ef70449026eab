import { defineEventHandler } from 'h3'
import { loadBackupFreshness } from '../../../../backups/freshness'
import { useConsole } from '../../../../context'
import { requireTarget } from '../../../../http/target'

export default defineEventHandler(async (event) => loadBackupFreshness((await useConsole()).db, await requireTarget(event)))
