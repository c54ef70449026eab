import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChecklistItem, ChecklistRun } from '~contract/checklists'
import { signOffRun } from '~app/api/checklists'
import ChecklistSignOffDialog from './ChecklistSignOffDialog.vue'

vi.mock('../../api/checklists', () => ({ signOffRun: vi.fn() }))
enableAutoUnmount(afterEach)

const item = (key: string, status: ChecklistItem['status'], label: string): ChecklistItem =>
  ({ key, position: 0, kind: 'auto', label, help: null, check: null, status, evidence: status === 'fail' ? { value: 'SKIP_MIGRATIONS="false"', seenAt: '2026-11-24T09:00:00Z' } : null, checkedBy: null, checkedAt: null, note: null, notedBy: null, notedAt: null })
const run: ChecklistRun = {
  id: 12, target: 'staging', phase: 'pre', status: 'open', startedBy: 'admin', startedAt: '2026-11-24T09:00:00Z', completedAt: null,
  signedOffBy: null, signOffReason: null, abandonedBy: null, abandonedAt: null, abandonReason: null, total: 2, passing: 1,
  items: [item('reachable', 'pass', 'Target reachable'), item('skip-migrations', 'fail', 'SKIP_MIGRATIONS=true in the app\'s env file')],
}

async function openDialog() {
  const wrapper = mount(ChecklistSignOffDialog, { props: { open: false, target: 'staging', run }, attachTo: document.body })
  await wrapper.setProps({ open: true })
  return wrapper
}
async function signOff(wrapper: Awaited<ReturnType<typeof openDialog>>, reason: string) {
  await wrapper.get('[data-testid="signoff-reason"]').setValue(reason)
  await wrapper.findAll('button').find((b) => b.text() === 'Sign off')!.trigger('click')
  await flushPromises()
}

describe('ChecklistSignOffDialog', () => {
  beforeEach(() => vi.resetAllMocks())

  it('lists only the items that do not pass, with what was seen', async () => {
    const wrapper = await openDialog()
    const failing = wrapper.get('.failing').text()
    expect(failing).toContain('SKIP_MIGRATIONS=true in the app\'s env file')
    expect(failing).toContain('SKIP_MIGRATIONS="false"')
    expect(failing).not.toContain('Target reachable')
  })

  it('refuses a reason shorter than 10 characters without asking the server', async () => {
    const wrapper = await openDialog()
    await signOff(wrapper, '  ok  ')
    expect(wrapper.get('[role="alert"]').text()).toContain('at least 10 characters')
    expect(signOffRun).not.toHaveBeenCalled()
  })

  it('signs off with the trimmed reason, naming the target without making anyone type it', async () => {
    const signed = { ...run, status: 'signed-off' as const, signedOffBy: 'admin' }
    vi.mocked(signOffRun).mockResolvedValue(signed)
    const wrapper = await openDialog()
    await signOff(wrapper, '  Staging only: migrations run from dbsafe ')
    expect(signOffRun).toHaveBeenCalledWith('staging', 12, { reason: 'Staging only: migrations run from dbsafe', confirm: 'staging' })
    expect(wrapper.emitted('signed')).toEqual([[signed]])
  })

  it('shows the server\'s refusal', async () => {
    vi.mocked(signOffRun).mockRejectedValue(new Error('Run #12 is already signed off'))
    const wrapper = await openDialog()
    await signOff(wrapper, 'Staging only: migrations run from dbsafe')
    expect(wrapper.get('[role="alert"]').text()).toBe('Run #12 is already signed off')
    expect(wrapper.emitted('signed')).toBeUndefined()
  })

  it('opened again, the reason and the old message are gone', async () => {
    const wrapper = await openDialog()
    await signOff(wrapper, 'short')
    await wrapper.setProps({ open: false })
    await wrapper.setProps({ open: true })
    expect((wrapper.get('[data-testid="signoff-reason"]').element as HTMLTextAreaElement).value).toBe('')
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
  })
})
