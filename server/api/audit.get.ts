import { defineEventHandler, getQuery } from 'h3'
import { auditQuerySchema } from '~contract/audit'
import { queryAudit } from '../audit/query'
import { useConsole } from '../context'
import { requireRole } from '../http/session'
import { validate } from '../http/validate'

export default defineEventHandler(async (event) => {
  const query = validate(auditQuerySchema, getQuery(event), 'query')
  return queryAudit((await useConsole()).db, query, { admin: requireRole(event, 'viewer').role === 'admin' })
})
