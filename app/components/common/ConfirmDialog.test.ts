import { enableAutoUnmount, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import ConfirmDialog from './ConfirmDialog.vue'

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

  it('keeps the action disabled until the target id is typed exactly', async () => {
    const wrapper = mount(ConfirmDialog, { props })
    const input = wrapper.get('[data-testid="confirm-input"]')
    expect(confirmButton(wrapper).attributes('disabled')).toBeDefined()
    await input.setValue('Production')
    expect(confirmButton(wrapper).attributes('disabled')).toBeDefined()
    await input.setValue('productio')
    expect(confirmButton(wrapper).attributes('disabled')).toBeDefined()
    await input.setValue('production')
    expect(confirmButton(wrapper).attributes('disabled')).toBeUndefined()
    expect(confirmButton(wrapper).text()).toBe('Start backup')
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
  })
})
