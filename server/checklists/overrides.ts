import { z } from 'zod'
import type { TargetConfig } from '../config/schema'

const manualItem = z.strictObject({
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'a lowercase slug (a-z, 0-9, -)' }),
  label: z.string().min(1).max(200),
  help: z.string().max(500).optional(),
})

/** Optional per-target `checklists` key of the config: thresholds and extra manual items. */
export const checklistOverridesSchema = z.strictObject({
  backupMaxAgeHours: z.number().positive().optional(),
  connectionsMaxRatio: z.number().gt(0).max(1).optional(),
  extraManual: z.strictObject({
    pre: z.array(manualItem).default([]),
    post: z.array(manualItem).default([]),
  }).optional(),
})
export type ChecklistOverrides = z.output<typeof checklistOverridesSchema>

export function overridesOf(target: TargetConfig): ChecklistOverrides {
  return target.checklists ?? {}
}
