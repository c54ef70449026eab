// Shapes every route shares: errors, health, the typed confirmation of guarded actions.
import { z } from 'zod'

export interface ApiError { statusCode: number, message: string, data?: unknown }
export interface Health { status: 'ok', version: string }
export interface Warning { code: string, message: string }
/** A read shared by every viewer of a target for a few seconds: when it was computed (ISO time). */
export type Computed<T> = T & { computedAt: string }

/** Typed confirmations repeat the target's id as `confirm`, so a click on the wrong target does nothing (see `confirmations.ts`). */
export const confirmField = z.string({ error: 'type the target id to confirm' })
export const confirmBodySchema = z.strictObject({ confirm: confirmField })
