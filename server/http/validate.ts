import type { H3Event } from 'h3'
import type { z } from 'zod'
import { formatPath } from '../config/load'
import { InvalidError } from '../errors'
import { DEFAULT_BODY_LIMIT, readLimitedBody } from './body'

/** Parses a value with a zod schema; failures become a 400 whose message names each bad field. */
export function validate<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((i) => ({ field: formatPath(i.path), message: i.message }))
  throw new InvalidError(`Invalid ${what}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues)
}

/** The JSON body as sent ({} when empty); a body over `limit` bytes is refused (413) before it is all read. */
export async function readJsonBody(event: H3Event, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const text = await readLimitedBody(event, limit)
  try {
    return (text.trim() ? JSON.parse(text) : null) ?? {}
  } catch {
    throw new InvalidError('Invalid body: not valid JSON')
  }
}

export async function validBody<T extends z.ZodType>(event: H3Event, schema: T, limit?: number): Promise<z.output<T>> {
  return validate(schema, await readJsonBody(event, limit), 'body')
}
