import { getRouterParam, getRouterParams, type H3Event } from 'h3'
import { z } from 'zod'
import { InvalidError } from '../errors'
import { validate } from './validate'

const jobParams = z.object({ job: z.coerce.number({ error: 'a job id (number)' }).int().positive() })

export const jobIdParam = (event: H3Event): number => validate(jobParams, getRouterParams(event), 'path').job

/** A path parameter percent-decoded; a malformed escape (`%E0%A4%A`) is the caller's mistake: a 400, not a 500. */
export function decodedParam(event: H3Event, name: string): string {
  const value = getRouterParam(event, name) ?? ''
  try {
    return decodeURIComponent(value)
  } catch {
    const message = 'malformed percent-encoding'
    throw new InvalidError(`Invalid path: ${name}: ${message}`, [{ field: name, message }])
  }
}
