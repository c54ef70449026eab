import type { H3Event } from 'h3'
import type { SessionUser } from '../../contract/api'
import { recordAudit } from '../audit/record'
import type { TargetConfig } from '../config/schema'
import { useConsole } from '../context'
import { InvalidError } from '../errors'
import { toHttpError } from './errors'
import { requestTarget } from './target'

export function requireConfirmation(confirm: string, target: TargetConfig): void {
  if (confirm === target.id) return
  const message = `type the target id "${target.id}" to confirm`
  throw new InvalidError(`Invalid body: confirm: ${message}`, [{ field: 'confirm', message }])
}

/** Runs a guarded action and writes its audit entry whatever the outcome, refusals included, as the caller gets it. */
export async function audited<T>(event: H3Event, entry: { action: string, target?: string, params?: Record<string, unknown> }, action: () => Promise<T>): Promise<T> {
  const actor = (event.context.user as SessionUser | undefined)?.username ?? null
  const { db } = await useConsole()
  try {
    const result = await action()
    await recordAudit(db, { ...entry, actor, outcome: 'ok' })
    return result
  } catch (err) {
    const http = toHttpError(err, requestTarget(event))
    await recordAudit(db, { ...entry, actor, outcome: `refused ${http.statusCode}: ${http.message}` })
    throw http
  }
}
