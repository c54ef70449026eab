import { enableAutoUnmount, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { listTargets } from '~app/api/targets'
import { useTargetsStore } from '~app/stores/targets'
import ConfirmDialog from './ConfirmDialog.vue'

vi.mock('../../api/targets', () => ({ listTargets: vi.fn() }))

const props = { open: true, title: 'Take a backup now', confirmText: 'production', actionLabel: 'Start backup' }
enableAutoUnmount(afterEach)

const confirmButton = (wrapper: ReturnType<typeof mount>) => wrapper.get('button[type="submit"]')

describe('ConfirmDialog', () => {
  it('opens as a modal dialog that says which id to type', async () => {
    const wrapper = mount(ConfirmDialog, { props: { ...props, open: false }, slots: { default: '<p>pg_dump writes a new file.</p>' } })
    const dialog = wrapper.get('dialog').element as HTMLDialogElement
    expect(dialog.open).toBe(false)
    await wrapper.setProps({ open: true })
    expect(dialog.open).toBe(true)
    expect(wrapper.text()).toContain('Type production to confirm')
    expect(wrapper.text()).toContain('pg_dump writes a new file.')
  })

  it('unlocks once something is typed, and names a mismatch after the click instead of staying silently disabled', async () => {
    const wrapper = mount(ConfirmDialog, { props, attachTo: document.body })
    const input = wrapper.get('[data-testid="confirm-input"]')
    expect(confirmButton(wrapper).attributes('disabled')).toBeDefined()
    await input.setValue('Production')
    expect(wrapper.find('[data-testid="confirm-mismatch"]').exists()).toBe(false)
    await confirmButton(wrapper).trigger('click')
    expect(wrapper.emitted('confirm')).toBeUndefined()
    expect(wrapper.get('[data-testid="confirm-mismatch"]').text()).toBe('Type production exactly; you typed Production')
    await input.setValue('production')
    expect(wrapper.find('[data-testid="confirm-mismatch"]').exists()).toBe(false)
    await confirmButton(wrapper).trigger('click')
    expect(wrapper.emitted('confirm')).toEqual([['production']])
  })

  it('asks no typing for an action the table calls plain, and confirms it for the target in one click', async () => {
    const wrapper = mount(ConfirmDialog, { props: { ...props, action: 'backups.take' }, attachTo: document.body })
    expect(wrapper.find('[data-testid="confirm-input"]').exists()).toBe(false)
    expect(confirmButton(wrapper).attributes('disabled')).toBeUndefined()
    await confirmButton(wrapper).trigger('click')
    expect(wrapper.emitted('confirm')).toEqual([['production']])
  })

  it('asks for typing where the table says the action cannot be taken back', () => {
    const wrapper = mount(ConfirmDialog, { props: { ...props, action: 'restore.drop' } })
    expect(wrapper.find('[data-testid="confirm-input"]').exists()).toBe(true)
  })

  it('takes no confirmation while the caller says its preconditions do not hold', async () => {
    const wrapper = mount(ConfirmDialog, { props: { ...props, action: 'backups.take', disabled: true } })
    expect(confirmButton(wrapper).attributes('disabled')).toBeDefined()
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('confirm')).toBeUndefined()
  })

  it('marks the target\'s environment, and says so in words for production', async () => {
    vi.mocked(listTargets).mockResolvedValue([
      { id: 'production', label: 'Shop production', environment: 'production', colour: null, reachable: true },
      { id: 'staging', label: 'Shop staging', environment: 'staging', colour: '#0a7', reachable: true },
    ])
    await useTargetsStore().load()
    const prod = mount(ConfirmDialog, { props })
    expect(prod.get('[data-testid="environment-badge"]').text()).toBe('production')
    expect(prod.get('[data-testid="production-note"]').text()).toBe('This is production. Shop production serves real users.')
    const staging = mount(ConfirmDialog, { props: { ...props, confirmText: 'staging' } })
    expect(staging.get('[data-testid="environment-badge"]').text()).toBe('staging')
    expect(staging.find('[data-testid="production-note"]').exists()).toBe(false)
  })

  it('puts focus on the first field, and on Cancel when there is none', async () => {
    const withField = mount(ConfirmDialog, { props: { ...props, open: false }, slots: { default: '<label>Label <input data-testid="first"></label>' }, attachTo: document.body })
    await withField.setProps({ open: true })
    await nextTick()
    expect(document.activeElement).toBe(withField.get('[data-testid="first"]').element)
    withField.unmount()
    const plain = mount(ConfirmDialog, { props: { ...props, open: false, action: 'backups.take' }, attachTo: document.body })
    await plain.setProps({ open: true })
    await nextTick()
    expect((document.activeElement as HTMLElement).textContent).toBe('Cancel')
  })

  it('confirms with what was typed, and not before it matches, even on Enter', async () => {
    const wrapper = mount(ConfirmDialog, { props, attachTo: document.body })
    const input = wrapper.get('[data-testid="confirm-input"]')
    await input.setValue('staging')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('confirm')).toBeUndefined()
    await input.setValue('production')
    await confirmButton(wrapper).trigger('click')
    expect(wrapper.emitted('confirm')).toEqual([['production']])
  })

  it('shows the server\'s refusal inside the dialog', () => {
    const wrapper = mount(ConfirmDialog, { props: { ...props, error: 'A backup of production is already running' } })
    expect(wrapper.get('[role="alert"]').text()).toBe('A backup of production is already running')
  })

  it('says it is working and takes no second click while busy', async () => {
    const wrapper = mount(ConfirmDialog, { props })
    await wrapper.get('[data-testid="confirm-input"]').setValue('production')
    await wrapper.setProps({ busy: true })
    expect(confirmButton(wrapper).text()).toBe('Working…')
    expect(confirmButton(wrapper).attributes('disabled')).toBeDefined()
  })

  it('cancels from its button and from Escape', async () => {
    const wrapper = mount(ConfirmDialog, { props })
    await wrapper.get('button[type="button"]').trigger('click')
    await wrapper.get('dialog').trigger('cancel')
    expect(wrapper.emitted('cancel')).toHaveLength(2)
  })

  it('starts empty each time it opens again', async () => {
    const wrapper = mount(ConfirmDialog, { props })
    await wrapper.get('[data-testid="confirm-input"]').setValue('production')
    await wrapper.setProps({ open: false })
    expect((wrapper.get('dialog').element as HTMLDialogElement).open).toBe(false)
    await wrapper.setProps({ open: true })
    expect((wrapper.get('[data-testid="confirm-input"]').element as HTMLInputElement).value).toBe('')
    expect(confirmButton(wrapper).attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="confirm-mismatch"]').exists()).toBe(false)
  })
})
