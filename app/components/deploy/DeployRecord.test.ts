import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEPLOY_STEP_TITLES, DEPLOY_STEPS, type Deploy, type DeployStep, type DeployStepState } from '~contract/deploys'
import { checkStep, endDeploy } from '~app/api/deploys'
import DeployRecord from './DeployRecord.vue'

vi.mock('../../api/deploys', () => ({ checkStep: vi.fn(), endDeploy: vi.fn(), overrideStep: vi.fn(), confirmRestart: vi.fn(), acknowledgePrivileges: vi.fn() }))
enableAutoUnmount(afterEach)

const seen = { value: 'all 6 checks pass', seenAt: '2026-12-01T09:00:00Z' }
function deploy(states: DeployStepState[], over: Partial<Deploy> = {}): Deploy {
  const steps: DeployStep[] = DEPLOY_STEPS.map((key, i) => ({
    key, title: DEPLOY_STEP_TITLES[key], state: states[i]!, status: states[i] === 'locked' || states[i] === 'current' ? null : states[i] as 'passed',
    evidence: states[i] === 'locked' || states[i] === 'current' ? null : seen, checkedBy: 'ana', checkedAt: seen.seenAt,
    override: states[i] === 'overridden' ? { by: 'root', at: seen.seenAt, reason: 'rehearsed on staging this morning' } : null,
  }))
  return {
    id: 3, target: 'production', note: 'v2.4.0', startedBy: 'ana', startedAt: seen.seenAt, endedBy: null, endedAt: null, outcome: null, endReason: null,
    restoreJobId: null, backup: null, current: steps.find((s) => s.state === 'current')?.key ?? null, steps, privileges: null, ...over,
  }
}
const mountRecord = (d: Deploy, canAdmin = true) => mount(DeployRecord, {
  props: { target: 'production', deploy: d, skip: null, canOperate: true, canAdmin },
  global: { stubs: { RouterLink: true } },
  attachTo: document.body,
})
// Buttons on the page itself, not inside a closed dialog.
const buttons = (w: { findAll: (s: string) => { element: Element }[] }) => w.findAll('button').filter((b) => !b.element.closest('dialog'))
const stepOf = (w: ReturnType<typeof mountRecord>, key: string) => w.get(`[data-testid="deploy-record-step-${key}"]`)

describe('DeployRecord', () => {
  beforeEach(() => vi.resetAllMocks())

  it('offers actions only on the current step; later steps are locked without buttons', () => {
    const w = mountRecord(deploy(['passed', 'current', 'locked', 'locked', 'locked', 'locked', 'locked']))
    expect(stepOf(w, 'backup').find('[data-testid="check-step"]').exists()).toBe(true)
    expect(stepOf(w, 'backup').find('[data-testid="override-step"]').exists()).toBe(true)
    for (const key of ['pre-gate', 'rehearsal', 'post-gate']) expect(buttons(stepOf(w, key))).toHaveLength(0)
    expect(stepOf(w, 'rehearsal').get('[data-testid="record-step-state"]').text()).toBe('locked')
    expect(w.find('[data-testid="finish-deploy"]').exists()).toBe(false)
  })

  it('shows an overridden step amber with who and why, never as passed', () => {
    const w = mountRecord(deploy(['passed', 'passed', 'overridden', 'current', 'locked', 'locked', 'locked']))
    const chip = stepOf(w, 'rehearsal').get('[data-testid="record-step-state"]')
    expect(chip.text()).toBe('overridden')
    expect(chip.classes()).toContain('warn')
    expect(chip.classes()).not.toContain('ok')
    expect(stepOf(w, 'rehearsal').get('[data-testid="step-override"]').text()).toContain('root')
    expect(stepOf(w, 'rehearsal').get('[data-testid="step-override"]').text()).toContain('rehearsed on staging this morning')
  })

  it('hides the override from an operator, and checks the current step when asked', async () => {
    const d = deploy(['current', 'locked', 'locked', 'locked', 'locked', 'locked', 'locked'])
    vi.mocked(checkStep).mockResolvedValue(d)
    const w = mountRecord(d, false)
    expect(w.find('[data-testid="override-step"]').exists()).toBe(false)
    await w.get('[data-testid="check-step"]').trigger('click')
    await flushPromises()
    expect(checkStep).toHaveBeenCalledWith('production', 3, 'pre-gate')
    expect(w.emitted('updated')).toEqual([[d]])
  })

  it('lets the deploy finish once no step is current, and shows the outcome once ended', async () => {
    const done = deploy(['passed', 'passed', 'skipped', 'passed', 'passed', 'passed', 'overridden'])
    const ended = { ...done, endedAt: seen.seenAt, endedBy: 'ana', outcome: 'succeeded-with-overrides' as const }
    vi.mocked(endDeploy).mockResolvedValue(ended)
    const w = mountRecord(done)
    await w.get('[data-testid="finish-deploy"]').trigger('click')
    await flushPromises()
    expect(endDeploy).toHaveBeenCalledWith('production', 3, { outcome: 'succeeded' })
    await w.setProps({ deploy: ended })
    expect(w.get('[data-testid="deploy-outcome"]').text()).toBe('succeeded with overrides')
    expect(buttons(w)).toHaveLength(0)
  })
})
