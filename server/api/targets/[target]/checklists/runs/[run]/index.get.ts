import { defineEventHandler, getRouterParams } from 'h3'
import { runParamsSchema } from '~contract/checklists'
import { getRun } from '~server/checklists/runs'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'
import { validate } from '~server/http/validate'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { run } = validate(runParamsSchema, getRouterParams(event), 'path')
  return getRun((await useConsole()).db, target, run)
})
