import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChecklistRun } from '~contract/checklists'
import { abandonRun } from '~app/api/checklists'
import ChecklistAbandonDialog from './ChecklistAbandonDialog.vue'

vi.mock('../../api/checklists', () => ({ abandonRun: vi.fn() }))
enableAutoUnmount(afterEach)

const run: ChecklistRun = {
  id: 12, target: 'staging', phase: 'pre', status: 'open', startedBy: 'olga', startedAt: '2026-11-24T09:00:00Z', completedAt: null,
  signedOffBy: null, signOffReason: null, abandonedBy: null, abandonedAt: null, abandonReason: null, total: 9, passing: 4, items: [],
}

describe('ChecklistAbandonDialog', () => {
  beforeEach(() => vi.resetAllMocks())

  it('says what abandoning does and wants a reason before the button unlocks; no typed confirmation', async () => {
    const wrapper = mount(ChecklistAbandonDialog, { props: { open: false, target: 'staging', run }, attachTo: document.body })
    await wrapper.setProps({ open: true })
    await flushPromises()
    expect(wrapper.text()).toContain('Abandon pre-deploy checklist #12')
    expect(wrapper.text()).toContain('4 of 9 items passing')
    expect(wrapper.find('[data-testid="confirm-input"]').exists()).toBe(false)
    const button = wrapper.get('[data-testid="dialog-submit"]')
    expect(button.attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="abandon-reason"]').setValue('  deploy postponed  ')
    expect(button.attributes('disabled')).toBeUndefined()
  })

  it('abandons with the trimmed reason and hands back the run', async () => {
    const abandoned = { ...run, status: 'abandoned' as const, abandonedBy: 'olga', abandonReason: 'deploy postponed' }
    vi.mocked(abandonRun).mockResolvedValue(abandoned)
    const wrapper = mount(ChecklistAbandonDialog, { props: { open: false, target: 'staging', run }, attachTo: document.body })
    await wrapper.setProps({ open: true })
    await wrapper.get('[data-testid="abandon-reason"]').setValue('  deploy postponed  ')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(abandonRun).toHaveBeenCalledWith('staging', 12, { reason: 'deploy postponed' })
    expect(wrapper.emitted('abandoned')).toEqual([[abandoned]])
  })
})
