import { defineEventHandler } from 'h3'
import { runHistory } from '~server/checklists/runs'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => runHistory((await useConsole()).db, await requireTarget(event)))
