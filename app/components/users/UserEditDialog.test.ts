import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { UserRow } from '~contract/auth'
import { updateUser } from '~app/api/users'
import UserEditDialog from './UserEditDialog.vue'

vi.mock('../../api/users', () => ({ updateUser: vi.fn() }))
enableAutoUnmount(afterEach)

const olga: UserRow = { id: 7, username: 'olga', role: 'operator', createdAt: '2026-11-20T09:00:00Z', lastLoginAt: null }

async function open(mode: 'role' | 'password') {
  const wrapper = mount(UserEditDialog, { props: { user: null, mode }, attachTo: document.body })
  await wrapper.setProps({ user: olga })
  await flushPromises()
  return wrapper
}
const submit = (w: Awaited<ReturnType<typeof open>>) => w.get('[data-testid="dialog-submit"]')

describe('UserEditDialog', () => {
  beforeEach(() => vi.resetAllMocks())

  it('opens on the role select with the current role, and keeps "Change role" disabled until another is picked', async () => {
    const wrapper = await open('role')
    const select = wrapper.get<HTMLSelectElement>('[data-testid="user-role"]')
    expect(document.activeElement).toBe(select.element)
    expect(select.element.value).toBe('operator')
    expect(wrapper.text()).toContain('Change the role of olga')
    expect(submit(wrapper).attributes('disabled')).toBeDefined()
    await select.setValue('viewer')
    expect(submit(wrapper).attributes('disabled')).toBeUndefined()
  })

  it('changes the role and hands back the updated user', async () => {
    vi.mocked(updateUser).mockResolvedValue({ ...olga, role: 'viewer' })
    const wrapper = await open('role')
    await wrapper.get('[data-testid="user-role"]').setValue('viewer')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(updateUser).toHaveBeenCalledWith(7, { role: 'viewer' })
    expect(wrapper.emitted('saved')).toEqual([[{ ...olga, role: 'viewer' }]])
  })

  it('resets a password only once it has 12 characters, and says their sessions end', async () => {
    vi.mocked(updateUser).mockResolvedValue(olga)
    const wrapper = await open('password')
    expect(wrapper.text()).toContain('Their open sessions end')
    await wrapper.get('[data-testid="user-password"]').setValue('short')
    expect(submit(wrapper).attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="user-password"]').setValue('a-new-password-1')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(updateUser).toHaveBeenCalledWith(7, { password: 'a-new-password-1' })
  })

  it('shows the server\'s refusal, e.g. demoting the last admin', async () => {
    vi.mocked(updateUser).mockRejectedValue(new Error('Cannot demote the last admin'))
    const wrapper = await open('role')
    await wrapper.get('[data-testid="user-role"]').setValue('viewer')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toBe('Cannot demote the last admin')
    expect(wrapper.emitted('saved')).toBeUndefined()
  })
})
