import { defineEventHandler } from 'h3'
import { runHistory } from '../../../../../checklists/runs'
import { useConsole } from '../../../../../context'
import { requireTarget } from '../../../../../http/target'

export default defineEventHandler(async (event) => runHistory((await useConsole()).db, await requireTarget(event)))
