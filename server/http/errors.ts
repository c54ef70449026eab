import { createError, isError, type H3Error } from 'h3'
import type { TargetConfig } from '../config/schema'
import { errorText } from '../database/error-text'
import { BusyError, DomainError, InvalidError, NotFoundError, RefusedError, UnreachableError } from '../errors'

// Driver-level failures (refused, timed out, bad password, unknown database) mean the target is
// unreachable right now: a 503 with the driver's reason, not a 500.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', '28P01', '28000', '3D000', '57P03'])

/**
 * The one mapping from what a handler threw to the HTTP error the caller gets. `target` is the
 * target the request is about, if any: a driver failure then means that target cannot be reached.
 */
export function toHttpError(err: unknown, target?: Pick<TargetConfig, 'label'>): H3Error {
  const thrown = thrownBy(err)
  if (isError(thrown)) return thrown
  if (thrown instanceof DomainError && !(thrown instanceof UnreachableError)) {
    const { code, data } = thrown
    return createError({ statusCode: statusOf(thrown), message: thrown.message, data: code || data ? { ...(code ? { code } : {}), ...data } : undefined })
  }
  if (thrown instanceof UnreachableError || (target && unreachable(thrown))) {
    return createError({ statusCode: 503, message: target ? `${target.label} cannot be reached: ${errorText(thrown)}` : errorText(thrown) })
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
  return (code !== undefined && UNREACHABLE.has(code)) || /timeout/i.test(e?.message ?? '')
}

// h3 wraps whatever a handler throws that is not an H3Error: the wrapper keeps the message, and `cause` is
// the thrown error, or that error's own cause if it had one (then only its message is left to go by).
function thrownBy(err: unknown): unknown {
  if (!isError(err) || !err.unhandled) return err
  const cause = err.cause
  return cause instanceof Error && cause.message === err.message ? cause : new Error(err.message)
}
