import { enableAutoUnmount, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Remediation } from '~contract/privileges'
import PrivilegesRemediation from './PrivilegesRemediation.vue'

enableAutoUnmount(afterEach)

const remediation: Remediation = {
  script: '-- 1. Create the owner role "app_owner"\nCREATE ROLE "app_owner" NOLOGIN;\n\n-- 2. Move ownership to "app_owner"\nALTER TABLE "public"."users" OWNER TO "app_owner";\n',
  steps: [
    { title: 'Create the owner role app_owner', why: 'It will own the tables.' },
    { title: 'Move ownership to app_owner', why: 'Only a new owner ends DROP.' },
    { title: 'Give app what the app keeps', why: 'Before the revokes.' },
  ],
  deploys: ['Migrations must run as app_owner: … set that login\'s URL as the target\'s migrationDatabaseUrl.'],
}
const mountIt = () => mount(PrivilegesRemediation, { props: { remediation, role: 'web app' }, attachTo: document.body })

describe('PrivilegesRemediation', () => {
  it('shows the steps in the order they run, the deploy note, and the whole script in a focusable labelled region', () => {
    const wrapper = mountIt()
    expect(wrapper.findAll('[data-testid="remediation-steps"] li strong').map((s) => s.text()))
      .toEqual(['Create the owner role app_owner.', 'Move ownership to app_owner.', 'Give app what the app keeps.'])
    expect(wrapper.get('[data-testid="remediation-deploys"]').text()).toContain('What changes for your deploys')
    expect(wrapper.get('[data-testid="remediation-deploys"]').text()).toContain('migrationDatabaseUrl')
    const pre = wrapper.get('[data-testid="remediation-script"]')
    expect(pre.attributes()).toMatchObject({ 'tabindex': '0', 'role': 'region', 'aria-label': 'Remediation script for web app' })
    expect(pre.text()).toBe(remediation.script.trim())
    expect(wrapper.text()).toContain('dbsafe never runs it.')
  })

  it('copies the whole script with one button', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const wrapper = mountIt()
    const button = wrapper.findAll('button').find((b) => b.text() === 'Copy script')!
    await button.trigger('click')
    await Promise.resolve()
    expect(writeText).toHaveBeenCalledExactlyOnceWith(remediation.script)
    expect(button.text()).toBe('Copied')
  })

  it('downloads the script as a .sql file named after the role', async () => {
    const blobs: Blob[] = []
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => { blobs.push(b as Blob); return 'blob:remediation' })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const clicked: HTMLAnchorElement[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { clicked.push(this) })
    const wrapper = mountIt()
    await wrapper.findAll('button').find((b) => b.text() === 'Download .sql')!.trigger('click')
    expect(create).toHaveBeenCalledOnce()
    expect(await blobs[0].text()).toBe(remediation.script)
    expect(clicked[0].download).toBe('dbsafe-remediation-web_app.sql')
    click.mockRestore()
  })
})
