import { createError, isError, type H3Error } from 'h3'
import type { TargetConfig } from '../config/schema'
import { errorText } from '../database/error-text'
import { unreachableSince } from '../database/reachability'
import { BusyError, DomainError, InvalidError, NotFoundError, RefusedError, UnreachableError } from '../errors'

// Driver-level failures (refused, no route, timed out, bad password, unknown database, server full or starting)
// mean the target is unreachable right now: a 503 with the driver's reason, not a 500.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'EHOSTDOWN', 'ECONNRESET', 'EPIPE', '28P01', '28000', '3D000', '53300', '57P03'])

/**
 * The one mapping from what a handler threw to the HTTP error the caller gets. `target` is the
 * target the request is about, if any: a driver failure then means that target cannot be reached.
 */
export function toHttpError(err: unknown, target?: Pick<TargetConfig, 'id' | 'label'>): H3Error {
  const thrown = thrownBy(err)
  if (isError(thrown)) return thrown
  if (thrown instanceof DomainError && !(thrown instanceof UnreachableError)) {
    const { code } = thrown
    const data = thrown instanceof BusyError && thrown.jobId !== undefined ? { ...thrown.data, jobId: thrown.jobId } : thrown.data
    return createError({ statusCode: statusOf(thrown), message: thrown.message, data: code || data ? { ...(code ? { code } : {}), ...data } : undefined })
  }
  if (thrown instanceof UnreachableError || (target && unreachable(thrown))) {
    const reason = errorText(thrown)
    if (!target) return createError({ statusCode: 503, message: reason })
    const since = unreachableSince(target.id).toISOString()
    return createError({ statusCode: 503, message: `${target.label} cannot be reached (failing since ${since}): ${reason}`,
      data: { code: 'unreachable', target: target.id, reason, since } })
  }
  return createError({ statusCode: 500, message: (thrown as { message?: string } | null)?.message ?? String(thrown) })
}

function statusOf(err: DomainError): number {
  if (err instanceof RefusedError) return err.status
  if (err instanceof NotFoundError) return 404
  if (err instanceof BusyError) return 409
  if (err instanceof InvalidError) return 400
  return 500
}

function unreachable(err: unknown): boolean {
  const e = err as { code?: string, message?: string, errors?: { code?: string }[] } | null
  const code = e?.code ?? e?.errors?.[0]?.code
  return (code !== undefined && UNREACHABLE.has(code)) || /timeout|Connection terminated/i.test(e?.message ?? '')
}

// h3 wraps whatever a handler throws that is not an H3Error: the wrapper keeps the message, and `cause` is
// the thrown error, or that error's own cause if it had one (then only its message is left to go by).
function thrownBy(err: unknown): unknown {
  if (!isError(err) || !err.unhandled) return err
  const cause = err.cause
  return cause instanceof Error && cause.message === err.message ? cause : new Error(err.message)
}
