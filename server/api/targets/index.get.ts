import { defineEventHandler } from 'h3'
import { useConsole } from '../../context'
import { listTargets } from '../../targets/overview'

export default defineEventHandler(async () => listTargets((await useConsole()).targets))
