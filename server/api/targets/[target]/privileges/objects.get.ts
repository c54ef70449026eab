import { defineEventHandler, getQuery } from 'h3'
import { requestedReview } from '~server/http/privileges'
import { objectPage } from '~server/privileges/object-list'
import { objectQuerySchema } from '~server/privileges/object-query'
import { validate } from '~server/http/validate'

// One page of the matrix, filtered and sorted on the server from the shared analysis.
export default defineEventHandler(async (event) => {
  const query = validate(objectQuerySchema, getQuery(event), 'query')
  const { review, computedAt } = await requestedReview(event)
  return { ...objectPage(review, query), computedAt }
})
