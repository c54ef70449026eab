import { createError, defineEventHandler, getQuery } from 'h3'
import { requestedReview } from '~server/http/privileges'
import { objectChain } from '~server/privileges/object-list'
import { objectRefSchema } from '~server/privileges/object-query'
import { validate } from '~server/http/validate'

// One object's powers and the chain behind each: what the drawer shows.
export default defineEventHandler(async (event) => {
  const { kind, schema, name } = validate(objectRefSchema, getQuery(event), 'query')
  const { review, computedAt } = await requestedReview(event)
  const chain = objectChain(review, kind, schema, name)
  if (!chain) throw createError({ statusCode: 404, message: `${review.role} holds no power on ${kind} ${schema}.${name}` })
  return { ...chain, computedAt }
})
