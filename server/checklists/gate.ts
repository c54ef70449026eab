import type pg from 'pg'
import type { ChecklistPhase, GateResult } from '~contract/checklists'
import type { TargetConfig } from '../config/schema'
import { evaluatePhase, type AutoItemRef, type EvaluateOptions } from './evaluate'
import { overridesOf } from './overrides'
import { checklistTemplate } from './templates'

/** The phase's automatic items evaluated now, for scripts and the verdict: nothing is stored, manual items are not asked. */
export async function evaluateGate(consoleDb: pg.Pool, target: TargetConfig, phase: ChecklistPhase, opts: EvaluateOptions = {}): Promise<GateResult> {
  const now = opts.now ?? new Date()
  const auto = checklistTemplate(phase, overridesOf(target)).items.flatMap((i) => (i.kind === 'auto' ? [{ ...i }] : []))
  const refs: AutoItemRef[] = auto.map((i) => ({ key: i.key, check: i.check, params: i.params }))
  const results = await evaluatePhase(consoleDb, target, phase, refs, { ...opts, now })
  const items = auto.map((i) => ({ key: i.key, label: i.label, ...results.get(i.key)! }))
  return { target: target.id, phase, pass: items.every((i) => i.pass), checkedAt: now.toISOString(), items }
}
