import { defineEventHandler, getRouterParams } from 'h3'
import { deployParamsSchema } from '~contract/deploys'
import { getDeploy } from '~server/deploys/record'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'
import { validate } from '~server/http/validate'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { deploy } = validate(deployParamsSchema, getRouterParams(event), 'path')
  return getDeploy((await useConsole()).db, target, deploy)
})
