import { getRouterParams, type H3Event } from 'h3'
import type { z } from 'zod'
import type { Role, SessionUser } from '~contract/auth'
import { requiresTypedConfirmation } from '~contract/confirmations'
import { recordAudit } from '../audit/record'
import type { TargetConfig } from '../config/schema'
import { useConsole } from '../context'
import { InvalidError } from '../errors'
import { invalidateTarget } from '../targets/shared-read'
import { toHttpError } from './errors'
import { requireRole } from './session'
import { readJsonBody, validate } from './validate'

export interface Input<P, B> { path: P, body: B }
/** What the request sent as far as it was read; `rawBody` is the body before its schema, so a refusal can say what was asked. */
type Read<P, B> = Partial<Input<P, B>> & { rawBody?: unknown }

/** A guarded action as its route declares it: who may do it, what it reads, what it does, and its audit entry. */
export interface Guard<P, B, R> {
  /** The audit entry's action, e.g. `backups.take`. */
  action: string
  role: Role
  /** The target the action is on: the entry names it, and an error is worded for it. */
  target?: TargetConfig
  /** Schemas for the path parameters and the JSON body, checked in that order after the role. */
  path?: z.ZodType<P>
  body?: z.ZodType<B>
  /** Bytes the body may have, when the default few KB are not enough. */
  bodyLimit?: number
  handle: (request: Input<P, B> & { user: SessionUser }) => Promise<R>
  /** The entry's params: from the request as far as it was read, and from the result once there is one. */
  params?: (request: Read<P, B>, result?: R) => Record<string, unknown> | undefined
}

/**
 * Checks the role, then the path and the body, then the typed confirmation when `CONFIRMATIONS` asks for one, runs `handle`, and writes one audit entry whatever
 * the outcome: `ok`, or `refused <status>: <message>` exactly as the caller gets it. Once `handle` ran,
 * the target's shared reads are dropped, so the next page shows what the action did.
 */
export async function guarded<R, P = undefined, B = undefined>(event: H3Event, guard: Guard<P, B, R>): Promise<R> {
  const read: Read<P, B> = {}
  let handled = false
  try {
    const user = requireRole(event, guard.role)
    if (guard.path) read.path = validate(guard.path, getRouterParams(event, { decode: true }), 'path')
    if (guard.body) {
      read.rawBody = await readJsonBody(event, guard.bodyLimit)
      read.body = validate(guard.body, read.rawBody, 'body')
    }
    // A confirmation sent where none is needed must still name this target: a request meant for another is refused.
    const confirm = (read.body as { confirm?: string } | undefined)?.confirm
    if (guard.target && (confirm !== undefined || requiresTypedConfirmation(guard.action))) requireConfirmation(confirm, guard.target)
    handled = true
    const result = await guard.handle({ ...(read as Input<P, B>), user })
    await audit(event, guard, guard.params?.(read, result), 'ok')
    return result
  } catch (err) {
    const http = toHttpError(err, guard.target)
    await audit(event, guard, guard.params?.(read), `refused ${http.statusCode}: ${http.message}`)
    throw http
  } finally {
    // Only once the action ran (a refused role or body changes nothing), and even if it failed halfway.
    if (handled && guard.target) invalidateTarget(guard.target.id)
  }
}

/** A login has no session yet: its entry names the username tried, and its outcome is the login's own. */
export async function auditLogin(username: string, outcome: string): Promise<void> {
  await recordAudit((await useConsole()).db, { actor: username, action: 'auth.login', outcome })
}

export function requireConfirmation(confirm: string | undefined, target: TargetConfig): void {
  if (confirm === target.id) return
  const message = `type the target id "${target.id}" ${confirm === undefined ? 'to confirm' : `exactly; you typed "${confirm}"`}`
  throw new InvalidError(`Invalid body: confirm: ${message}`, [{ field: 'confirm', message }])
}

async function audit(event: H3Event, { action, target }: { action: string, target?: TargetConfig }, params: Record<string, unknown> | undefined, outcome: string) {
  const actor = (event.context.user as SessionUser | undefined)?.username ?? null
  await recordAudit((await useConsole()).db, { actor, action, target: target?.id, params, outcome })
}
