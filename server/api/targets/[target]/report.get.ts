import { defineEventHandler, getQuery, setResponseHeaders } from 'h3'
import { z } from 'zod'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'
import { requireSessionOrToken } from '~server/http/token-auth'
import { validate } from '~server/http/validate'
import { reportFileName, safetyReport } from '~server/report/safety-report'

const query = z.object({
  format: z.enum(['json', 'markdown'], { error: 'json or markdown' }).default('json'),
  /** The report of one deploy: its record first, then the evidence as it is now. */
  deploy: z.coerce.number({ error: 'a deploy id (number)' }).int().positive({ error: 'a deploy id (number)' }).optional(),
})

// Read-only like the gate, so deploy scripts may fetch it with an API token (`dbsafe report`).
export default defineEventHandler(async (event) => {
  const caller = await requireSessionOrToken(event)
  const target = await requireTarget(event)
  const { format, deploy } = validate(query, getQuery(event), 'query')
  const by = caller.kind === 'user' ? caller.user.username : `API token "${caller.name}"`
  const report = await safetyReport((await useConsole()).db, target, by, deploy)
  if (format === 'json') return report
  setResponseHeaders(event, {
    'content-type': 'text/markdown; charset=utf-8',
    'content-disposition': `attachment; filename="${reportFileName(report, deploy)}"`,
  })
  return report.markdown
})
