import { defineEventHandler, getQuery } from 'h3'
import { auditQuerySchema } from '~contract/audit'
import { queryAudit } from '../audit/query'
import { useConsole } from '../context'
import { validate } from '../http/validate'

export default defineEventHandler(async (event) => queryAudit((await useConsole()).db, validate(auditQuerySchema, getQuery(event), 'query')))
