import { defineEventHandler, getRouterParams } from 'h3'
import { runParamsSchema } from '../../../../../../../contract/checklists'
import { getRun } from '../../../../../../checklists/runs'
import { useConsole } from '../../../../../../context'
import { requireTarget } from '../../../../../../http/target'
import { validate } from '../../../../../../http/validate'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { run } = validate(runParamsSchema, getRouterParams(event), 'path')
  return getRun((await useConsole()).db, target, run)
})
