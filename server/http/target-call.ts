import { createError } from 'h3'
import type { TargetConfig } from '../config/schema'
import { errorText } from '../database/error-text'
import { NoConnectionError } from '../targets/pool'

// Driver-level failures (refused, timed out, bad password, unknown database) mean the target is
// unreachable right now: a 503 with the driver's reason, not a 500.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', '28P01', '28000', '3D000', '57P03'])

export async function targetCall<T>(target: TargetConfig, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    const e = err as { code?: string, message?: string, errors?: { code?: string, message?: string }[], statusCode?: number }
    if (e.statusCode) throw err
    const code = e.code ?? e.errors?.[0]?.code
    const unreachable = err instanceof NoConnectionError || (code && UNREACHABLE.has(code)) || /timeout/i.test(e.message ?? '')
    if (!unreachable) throw err
    throw createError({ statusCode: 503, message: `${target.label} cannot be reached: ${errorText(err)}` })
  }
}
