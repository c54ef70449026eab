import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RetentionPlan } from '~contract/backups'
import { pruneBackups, retentionPreview } from '~app/api/backups'
import BackupsRetention from './BackupsRetention.vue'

vi.mock('../../api/backups', () => ({ pruneBackups: vi.fn(), retentionPreview: vi.fn() }))
enableAutoUnmount(afterEach)

const plan = (remove: string[]): RetentionPlan => ({
  keep: [{ id: 'dbsafe_production_20261124.dump', reason: 'newest' }],
  remove: remove.map((id) => ({ id, file: `/backups/${id}`, reason: 'older than 30 days' })),
})
const mountRetention = async (target = 'production') => {
  const wrapper = mount(BackupsRetention, { props: { target, canPrune: true, refreshKey: 0 }, attachTo: document.body })
  await flushPromises()
  return wrapper
}
const deleteButton = (wrapper: Awaited<ReturnType<typeof mountRetention>>) => wrapper.findAll('button').find((b) => b.text() === 'Delete expired…')!

describe('BackupsRetention', () => {
  beforeEach(() => vi.resetAllMocks())

  it('has nothing to delete when every backup is kept', async () => {
    vi.mocked(retentionPreview).mockResolvedValue(plan([]))
    const wrapper = await mountRetention()
    expect(wrapper.text()).toContain('Nothing to delete: 1 backup(s) kept.')
    expect(deleteButton(wrapper).attributes('disabled')).toBeDefined()
  })

  it('deletes the expired backups only once the target id is typed', async () => {
    vi.mocked(retentionPreview).mockResolvedValue(plan(['nightly_20261001.dump']))
    vi.mocked(pruneBackups).mockResolvedValue({ removed: [] })
    const wrapper = await mountRetention()
    expect(wrapper.get('.remove').text()).toContain('nightly_20261001.dump — older than 30 days')
    await deleteButton(wrapper).trigger('click')
    expect(wrapper.get('dialog').text()).toContain('nightly_20261001.dump')
    const confirmButton = wrapper.get('dialog button[type="submit"]')
    expect(confirmButton.attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="confirm-input"]').setValue('production')
    await confirmButton.trigger('click')
    await flushPromises()
    expect(pruneBackups).toHaveBeenCalledWith('production', 'production')
    expect(wrapper.emitted('pruned')).toHaveLength(1)
    expect((wrapper.get('dialog').element as HTMLDialogElement).open).toBe(false)
  })

  it('says why the preview could not be read', async () => {
    vi.mocked(retentionPreview).mockRejectedValue(new Error('backups directory is not readable'))
    const wrapper = await mountRetention()
    expect(wrapper.get('.error-text').text()).toBe('backups directory is not readable')
  })

  it('never shows the previous target\'s plan when its answer comes last', async () => {
    let answerProduction!: (p: RetentionPlan) => void
    vi.mocked(retentionPreview)
      .mockImplementationOnce(() => new Promise((resolve) => { answerProduction = resolve }))
      .mockResolvedValueOnce(plan(['staging_old.dump']))
    const wrapper = mount(BackupsRetention, { props: { target: 'production', canPrune: true, refreshKey: 0 } })
    await wrapper.setProps({ target: 'staging' })
    await flushPromises()
    answerProduction(plan(['production_old.dump']))
    await flushPromises()
    expect(wrapper.get('.remove').text()).toContain('staging_old.dump')
    expect(wrapper.text()).not.toContain('production_old.dump')
  })
})
