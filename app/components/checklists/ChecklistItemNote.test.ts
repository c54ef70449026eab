import { enableAutoUnmount, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChecklistItem } from '~contract/checklists'
import ChecklistItemNote from './ChecklistItemNote.vue'

enableAutoUnmount(afterEach)
const ticked: ChecklistItem = {
  key: 'smoke-test', position: 3, kind: 'manual', label: 'Smoke test passed', help: null, check: null, status: 'pass', evidence: null,
  checkedBy: 'olga', checkedAt: '2026-11-24T09:00:00Z', note: 'login works', notedBy: 'olga', notedAt: '2026-11-24T09:01:00Z',
}

describe('ChecklistItemNote', () => {
  it('shows the note with who wrote it, and edits it in place with the old text to start from', async () => {
    const wrapper = mount(ChecklistItemNote, { props: { item: ticked, canEdit: true }, attachTo: document.body })
    expect(wrapper.get('[data-testid="note-text"]').text()).toContain('login works · note by olga')
    await wrapper.get('[data-testid="note-edit"]').trigger('click')
    const input = wrapper.get<HTMLTextAreaElement>('[data-testid="note-input"]')
    expect(input.element.value).toBe('login works')
    expect(document.activeElement).toBe(input.element)
    await input.setValue('  login and checkout work  ')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('save')).toEqual([['login and checkout work']])
  })

  it('offers "Add a note" when there is none, and nothing to edit for a viewer', async () => {
    const bare = { ...ticked, note: null, notedBy: null, notedAt: null }
    expect(mount(ChecklistItemNote, { props: { item: bare, canEdit: true } }).get('[data-testid="note-edit"]').text()).toBe('Add a note')
    const viewer = mount(ChecklistItemNote, { props: { item: ticked, canEdit: false } })
    expect(viewer.find('[data-testid="note-edit"]').exists()).toBe(false)
    expect(viewer.text()).toContain('login works')
  })
})
