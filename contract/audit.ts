// The audit log's query and entries.
import { z } from 'zod'

export const auditQuerySchema = z.object({
  actor: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  target: z.string().max(64).optional(),
  outcome: z.enum(['ok', 'refused'], { error: 'ok or refused' }).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
export type AuditQuery = z.output<typeof auditQuerySchema>
export interface AuditEntry { id: number, at: string, actor: string | null, action: string, target: string | null, params: Record<string, unknown>, outcome: string }
