import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BackupFreshness, BackupRef } from '~contract/backups'
import { takeBackup, verifyBackup } from '~app/api/backups'
import { ApiRequestError } from '~app/api/client'
import DeployBackupStep from './DeployBackupStep.vue'

vi.mock('../../api/backups', () => ({ takeBackup: vi.fn(), verifyBackup: vi.fn() }))
enableAutoUnmount(afterEach)

/** The job's progress arrives over server-sent events; here it never does, so the job stays "starting". */
class SilentEventSource {
  onerror: (() => void) | null = null
  addEventListener() {}
  close() {}
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString()
const backup = (id: string, status: BackupRef['status'], createdAt: string): BackupRef => ({ id, status, createdAt })
// The server's verdict on the target's backups (GET …/backups/freshness), as the overview carries it.
const freshness = (over: Partial<BackupFreshness> = {}): BackupFreshness => ({
  count: 0, maxAgeHours: 24, newest: null, newestUsable: null, newestVerified: null, usableFresh: false, verifiedFresh: false, ...over,
})

function mountStep(f: BackupFreshness) {
  return mount(DeployBackupStep, {
    props: { n: 2, target: 'staging', freshness: f, loadError: null, canOperate: true },
    global: { stubs: { RouterLink: true } },
    attachTo: document.body,
  })
}
const button = (wrapper: ReturnType<typeof mountStep>, name: string) => wrapper.findAll('button').find((b) => b.text().includes(name))!

const fresh = backup('dbsafe_staging_fresh.dump', 'unverified', hoursAgo(1))
const tested = { ...backup('dbsafe_staging_fresh.dump', 'verified', hoursAgo(2)), verifiedAt: hoursAgo(1), label: 'before 2.4' }

describe('DeployBackupStep', () => {
  beforeEach(() => {
    vi.resetAllMocks()
    vi.stubGlobal('EventSource', SilentEventSource)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('takes a pre-deploy backup with one click in the dialog (nothing to type: it only adds a file), and follows its job', async () => {
    vi.mocked(takeBackup).mockResolvedValue({ jobId: 41 })
    const wrapper = mountStep(freshness({ count: 1, newest: backup('nightly_old.dump', 'unverified', hoursAgo(50)), newestUsable: backup('nightly_old.dump', 'unverified', hoursAgo(50)) }))
    expect(wrapper.get('[data-testid="step-state"]').text()).toBe('to do')
    await wrapper.get('[data-testid="deploy-take-backup"]').trigger('click')
    expect(wrapper.find('[data-testid="confirm-input"]').exists()).toBe(false)
    await button(wrapper, 'Take backup').trigger('click')
    await flushPromises()
    expect(takeBackup).toHaveBeenCalledWith('staging', { confirm: 'staging', label: 'pre-deploy' })
    expect((wrapper.get('dialog').element as HTMLDialogElement).open).toBe(false)
    expect(wrapper.get('[data-testid="job-progress"]').text()).toContain('Backup #41')
  })

  it('keeps the dialog open with the server\'s refusal, and starts no job', async () => {
    vi.mocked(takeBackup).mockRejectedValue(new ApiRequestError(409, 'A backup of staging is already running'))
    const wrapper = mountStep(freshness())
    await wrapper.get('[data-testid="deploy-take-backup"]').trigger('click')
    await button(wrapper, 'Take backup').trigger('click')
    await flushPromises()
    expect(wrapper.get('dialog [role="alert"]').text()).toBe('A backup of staging is already running')
    expect((wrapper.get('dialog').element as HTMLDialogElement).open).toBe(true)
    expect(wrapper.find('[data-testid="job-progress"]').exists()).toBe(false)
  })

  it('offers to restore-test a fresh backup, and both buttons wait while it starts', async () => {
    let started!: (r: { jobId: number }) => void
    vi.mocked(verifyBackup).mockImplementation(() => new Promise((resolve) => { started = resolve }))
    const wrapper = mountStep(freshness({ count: 1, newest: fresh, newestUsable: fresh, usableFresh: true }))
    expect(wrapper.get('[data-testid="step-summary"]').text()).toContain('has not been restore-tested yet')
    await wrapper.get('[data-testid="deploy-verify-backup"]').trigger('click')
    expect(wrapper.get('[data-testid="deploy-verify-backup"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="deploy-take-backup"]').attributes('disabled')).toBeDefined()
    started({ jobId: 42 })
    await flushPromises()
    expect(verifyBackup).toHaveBeenCalledWith('staging', 'dbsafe_staging_fresh.dump')
    expect(wrapper.get('[data-testid="job-progress"]').text()).toContain('Restore test of dbsafe_staging_fresh.dump')
    expect(wrapper.get('[data-testid="deploy-verify-backup"]').attributes('disabled')).toBeUndefined()
  })

  it('shows a refused restore test under the step', async () => {
    vi.mocked(verifyBackup).mockRejectedValue(new Error('No scratch database configured'))
    const wrapper = mountStep(freshness({ count: 1, newest: fresh, newestUsable: fresh, usableFresh: true }))
    await wrapper.get('[data-testid="deploy-verify-backup"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('.error-text[role="alert"]').text()).toBe('No scratch database configured')
  })

  it('is done with a fresh restore-tested backup, named with its label', () => {
    const wrapper = mountStep(freshness({ count: 1, newest: tested, newestUsable: tested, newestVerified: tested, usableFresh: true, verifiedFresh: true }))
    expect(wrapper.get('[data-testid="step-state"]').text()).toBe('done')
    expect(wrapper.get('[data-testid="step-summary"]').text()).toContain('dbsafe_staging_fresh.dump ("before 2.4") was taken')
    expect(wrapper.find('[data-testid="deploy-verify-backup"]').exists()).toBe(false)
  })
})
