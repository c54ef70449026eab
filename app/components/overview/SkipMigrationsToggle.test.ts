import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SkipMigrationsState } from '~contract/targets'
import { ApiRequestError } from '~app/api/client'
import { setSkipMigrations } from '~app/api/targets'
import SkipMigrationsToggle from './SkipMigrationsToggle.vue'

vi.mock('../../api/targets', () => ({ setSkipMigrations: vi.fn() }))

const envLine = { kind: 'env-file', file: '/srv/app/.env', line: 3, value: 'false', wins: true } as const
const off: SkipMigrationsState = {
  envFile: '/srv/app/.env', exists: true, value: 'false', occurrences: [{ line: 3, value: 'false' }], effective: false, warnings: [],
  sources: [envLine], winner: envLine, certain: true,
}
const mountToggle = (state: SkipMigrationsState = off) => mount(SkipMigrationsToggle, { props: { target: 'staging', state }, attachTo: document.body })
const button = (wrapper: ReturnType<typeof mountToggle>, name: string) => wrapper.findAll('button').find((b) => b.text() === name)!

enableAutoUnmount(afterEach)

describe('SkipMigrationsToggle', () => {
  beforeEach(() => vi.resetAllMocks())

  it('asks before it sets SKIP_MIGRATIONS=true, with one click and no typing (it is set back the same way)', async () => {
    vi.mocked(setSkipMigrations).mockResolvedValue(undefined as never)
    const wrapper = mountToggle()
    await wrapper.get('[data-testid="skip-toggle"]').trigger('click')
    const dialog = wrapper.get('dialog').element as HTMLDialogElement
    expect(dialog.open).toBe(true)
    expect(wrapper.get('dialog').text()).toContain('/srv/app/.env')
    expect(wrapper.find('[data-testid="confirm-input"]').exists()).toBe(false)
    expect(setSkipMigrations).not.toHaveBeenCalled()
    await button(wrapper, 'Set SKIP_MIGRATIONS=true').trigger('click')
    await flushPromises()
    expect(setSkipMigrations).toHaveBeenCalledWith('staging', { enabled: true, confirm: 'staging' })
    expect(wrapper.emitted('changed')).toHaveLength(1)
    expect(dialog.open).toBe(false)
  })

  it('keeps the dialog open with the server\'s refusal', async () => {
    vi.mocked(setSkipMigrations).mockRejectedValue(new ApiRequestError(403, 'Only admins toggle SKIP_MIGRATIONS'))
    const wrapper = mountToggle()
    await wrapper.get('[data-testid="skip-toggle"]').trigger('click')
    await button(wrapper, 'Set SKIP_MIGRATIONS=true').trigger('click')
    await flushPromises()
    expect(wrapper.get('dialog [role="alert"]').text()).toBe('Only admins toggle SKIP_MIGRATIONS')
    expect((wrapper.get('dialog').element as HTMLDialogElement).open).toBe(true)
    expect(wrapper.emitted('changed')).toBeUndefined()
  })

  it('clears an old refusal when opened again', async () => {
    vi.mocked(setSkipMigrations).mockRejectedValue(new Error('env file is read-only'))
    const wrapper = mountToggle()
    await wrapper.get('[data-testid="skip-toggle"]').trigger('click')
    await button(wrapper, 'Set SKIP_MIGRATIONS=true').trigger('click')
    await flushPromises()
    await button(wrapper, 'Cancel').trigger('click')
    await wrapper.get('[data-testid="skip-toggle"]').trigger('click')
    expect(wrapper.find('dialog [role="alert"]').exists()).toBe(false)
  })

  it('offers to let migrations run when they are skipped, as a danger action', async () => {
    vi.mocked(setSkipMigrations).mockResolvedValue(undefined as never)
    const wrapper = mountToggle({ ...off, value: 'true', effective: true })
    expect(wrapper.get('[data-testid="skip-toggle"]').text()).toBe('Let migrations run on next start…')
    await wrapper.get('[data-testid="skip-toggle"]').trigger('click')
    expect(button(wrapper, 'Set SKIP_MIGRATIONS=false').classes()).toContain('danger-fill')
    await button(wrapper, 'Set SKIP_MIGRATIONS=false').trigger('click')
    await flushPromises()
    expect(setSkipMigrations).toHaveBeenCalledWith('staging', { enabled: false, confirm: 'staging' })
  })

  it('cannot be used when the env file does not exist', () => {
    const wrapper = mountToggle({ ...off, exists: false, value: null, occurrences: [], sources: [], winner: null })
    expect(wrapper.get('[data-testid="skip-toggle"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="skip-toggle-reason"]').text()).toContain('/srv/app/.env does not exist')
  })

  it('cannot be used when systemd decides, and names the unit file and line to change', () => {
    const unit = { kind: 'systemd', file: '/etc/systemd/system/app.service', line: 7, value: 'false', wins: true, block: 'Environment=' } as const
    const wrapper = mountToggle({ ...off, value: 'false', sources: [unit, { ...envLine, value: 'true', wins: false }], winner: unit })
    expect(wrapper.get('[data-testid="skip-toggle"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="skip-toggle-reason"]').text()).toBe('systemd decides SKIP_MIGRATIONS (/etc/systemd/system/app.service line 7): change it there. dbsafe does not edit systemd\'s files.')
  })

  it('has no reason to show while the env file decides', () => {
    expect(mountToggle().find('[data-testid="skip-toggle-reason"]').exists()).toBe(false)
  })
})
