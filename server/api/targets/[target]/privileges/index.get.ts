import { defineEventHandler } from 'h3'
import { requestedReview } from '~server/http/privileges'
import { summarize } from '~server/privileges/summary'

// The summary: verdict, findings, role facts and per-schema counts, without the objects (see ./objects).
export default defineEventHandler(async (event) => {
  const { review, computedAt } = await requestedReview(event)
  return { ...summarize(review), computedAt }
})
