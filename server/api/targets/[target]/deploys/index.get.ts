import { defineEventHandler } from 'h3'
import { listDeploys } from '~server/deploys/record'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => listDeploys((await useConsole()).db, await requireTarget(event)))
