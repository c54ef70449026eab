import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { changeOwnPassword } from '~app/api/auth'
import OwnPasswordForm from './OwnPasswordForm.vue'

vi.mock('../../api/auth', () => ({ changeOwnPassword: vi.fn() }))
enableAutoUnmount(afterEach)

async function fill(wrapper: ReturnType<typeof mount>, current: string, next: string, repeat: string) {
  await wrapper.get('[data-testid="current-password"]').setValue(current)
  await wrapper.get('[data-testid="new-password"]').setValue(next)
  await wrapper.get('[data-testid="repeat-password"]').setValue(repeat)
}
const button = (wrapper: ReturnType<typeof mount>) => wrapper.get('button[type="submit"]')

describe('OwnPasswordForm', () => {
  beforeEach(() => vi.resetAllMocks())

  it('says when the two new passwords differ and keeps the button disabled', async () => {
    const wrapper = mount(OwnPasswordForm)
    await fill(wrapper, 'old-password-1', 'new-password-12', 'new-password-13')
    expect(wrapper.text()).toContain('The two new passwords differ.')
    expect(button(wrapper).attributes('disabled')).toBeDefined()
  })

  it('changes the password, clears the fields and says the other sessions were logged out', async () => {
    vi.mocked(changeOwnPassword).mockResolvedValue({ ok: true })
    const wrapper = mount(OwnPasswordForm)
    await fill(wrapper, 'old-password-1', 'new-password-12', 'new-password-12')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(changeOwnPassword).toHaveBeenCalledWith({ currentPassword: 'old-password-1', newPassword: 'new-password-12' })
    expect(wrapper.get('[data-testid="password-changed"]').text()).toContain('Your other sessions were logged out')
    expect(wrapper.get<HTMLInputElement>('[data-testid="current-password"]').element.value).toBe('')
  })

  it('shows a wrong current password as the server says it', async () => {
    vi.mocked(changeOwnPassword).mockRejectedValue(new Error('Invalid body: currentPassword: not your current password'))
    const wrapper = mount(OwnPasswordForm)
    await fill(wrapper, 'guess', 'new-password-12', 'new-password-12')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toContain('not your current password')
    expect(wrapper.find('[data-testid="password-changed"]').exists()).toBe(false)
  })
})
