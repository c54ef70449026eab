import { defineEventHandler } from 'h3'
import { useConsole } from '~server/context'
import { listTargets } from '~server/targets/overview'

export default defineEventHandler(async () => listTargets((await useConsole()).targets))
