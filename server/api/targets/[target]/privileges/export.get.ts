import { defineEventHandler, getQuery, sendStream, setResponseHeaders } from 'h3'
import { requestedReview } from '~server/http/privileges'
import { exportStream } from '~server/privileges/export'
import { exportQuerySchema } from '~server/privileges/object-query'
import { validate } from '~server/http/validate'

// Every object (or every one matching the matrix's filters), streamed as JSON or CSV for download.
export default defineEventHandler(async (event) => {
  const { format, ...filters } = validate(exportQuerySchema, getQuery(event), 'query')
  const target = event.context.params?.target ?? 'target'
  const { review, computedAt } = await requestedReview(event)
  setResponseHeaders(event, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
    'content-disposition': `attachment; filename="privileges-${target}-${review.role}.${format}"`.replace(/[^\x20-\x7e]/g, '_'),
    'x-computed-at': computedAt,
  })
  return sendStream(event, exportStream(review, filters, format))
})
