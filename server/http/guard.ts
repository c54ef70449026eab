import { createError, type H3Event } from 'h3'
import type { SessionUser } from '../../contract/api'
import { recordAudit } from '../audit/record'
import type { TargetConfig } from '../config/schema'
import { useConsole } from '../context'

export function requireConfirmation(confirm: string, target: TargetConfig): void {
  if (confirm === target.id) return
  const message = `type the target id "${target.id}" to confirm`
  throw createError({ statusCode: 400, message: `Invalid body: confirm: ${message}`, data: { issues: [{ field: 'confirm', message }] } })
}

/** Runs a guarded action and writes its audit entry whatever the outcome, refusals included. */
export async function audited<T>(event: H3Event, entry: { action: string, target?: string, params?: Record<string, unknown> }, action: () => Promise<T>): Promise<T> {
  const actor = (event.context.user as SessionUser | undefined)?.username ?? null
  const { db } = await useConsole()
  try {
    const result = await action()
    await recordAudit(db, { ...entry, actor, outcome: 'ok' })
    return result
  } catch (err) {
    const e = err as { statusCode?: number, message?: string }
    await recordAudit(db, { ...entry, actor, outcome: `refused ${e.statusCode ?? 500}: ${e.message ?? String(err)}` })
    throw err
  }
}
