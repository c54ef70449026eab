import { describe, expect, it } from 'vitest'
import { AUTO_CHECKS } from '~contract/checklists'
import { AUTO_EVALUATORS } from '~server/checklists/auto/registry'
import { checklistOverridesSchema } from '~server/checklists/overrides'
import { checklistTemplate, checklistTemplates } from '~server/checklists/templates'

describe('checklist templates', () => {
  it.each(['pre', 'post'] as const)('%s: unique slug keys, an evaluator for every auto item, manual items from the seed', (phase) => {
    const t = checklistTemplate(phase)
    const keys = t.items.map((i) => i.key)
    expect(new Set(keys).size).toBe(keys.length)
    for (const k of keys) expect(k).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/)
    for (const item of t.items) if (item.kind === 'auto') expect(AUTO_EVALUATORS[item.check]).toBeTypeOf('function')
    expect(t.items.some((i) => i.kind === 'manual')).toBe(true)
  })

  it('pre-deploy asks for SKIP_MIGRATIONS, a fresh verified backup, no drift, a safe role, headroom and no failed jobs', () => {
    const pre = checklistTemplate('pre')
    const checks = pre.items.flatMap((i) => (i.kind === 'auto' ? [i.check] : []))
    expect(checks).toEqual(['reachable', 'skip-migrations', 'fresh-verified-backup', 'no-drift', 'app-role-not-unsafe', 'connections-headroom', 'no-failed-jobs'])
    expect(pre.items.filter((i) => i.kind === 'manual').map((i) => i.label))
      .toEqual(['Test new migrations on staging', 'Review migration files for safety', 'Document rollback plan'])
    expect(pre.items.find((i) => i.key === 'fresh-verified-backup')).toMatchObject({ params: { maxAgeHours: 24 } })
  })

  it('post-deploy wants every migration applied and SKIP_MIGRATIONS back on, plus the seed\'s manual items', () => {
    const post = checklistTemplate('post')
    const checks = post.items.flatMap((i) => (i.kind === 'auto' ? [i.check] : []))
    expect(checks).toContain('no-pending')
    expect(checks).toContain('skip-migrations')
    expect(checks).not.toContain('fresh-verified-backup')
    expect(post.items.filter((i) => i.kind === 'manual').map((i) => i.label)).toEqual(expect.arrayContaining([
      'Verify application functionality', 'Check database integrity', 'Monitor error logs', 'Document any issues',
    ]))
  })

  it('every auto check kind is used by some template', () => {
    const used = new Set(checklistTemplates().flatMap((t) => t.items.flatMap((i) => (i.kind === 'auto' ? [i.check] : []))))
    expect([...used].sort()).toEqual([...AUTO_CHECKS].sort())
  })

  it('overrides change thresholds and add manual items, never replacing a built-in key', () => {
    const overrides = checklistOverridesSchema.parse({
      backupMaxAgeHours: 6, connectionsMaxRatio: 0.5,
      extraManual: { pre: [{ key: 'notify-team', label: 'Tell #ops' }, { key: 'rollback-plan', label: 'dup' }] },
    })
    const pre = checklistTemplate('pre', overrides)
    expect(pre.items.find((i) => i.key === 'fresh-verified-backup')).toMatchObject({ params: { maxAgeHours: 6 }, label: expect.stringContaining('6 hours') })
    expect(pre.items.find((i) => i.key === 'connections-headroom')).toMatchObject({ params: { maxRatio: 0.5 } })
    expect(pre.items.at(-1)).toEqual({ key: 'notify-team', label: 'Tell #ops', kind: 'manual' })
    expect(pre.items.filter((i) => i.key === 'rollback-plan')).toHaveLength(1)
    expect(checklistTemplate('post', overrides).items.some((i) => i.key === 'notify-team')).toBe(false)
  })

  it('rejects bad overrides with the field named', () => {
    const bad = checklistOverridesSchema.safeParse({ connectionsMaxRatio: 2, extraManual: { pre: [{ key: 'Bad Key', label: 'x' }] } })
    expect(bad.success).toBe(false)
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['connectionsMaxRatio', 'extraManual.pre.0.key'])
  })
})
