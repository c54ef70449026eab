import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ObjectPage, ObjectQuery, PrivilegeObject } from '~contract/privileges'
import PrivilegesMatrix from './PrivilegesMatrix.vue'

enableAutoUnmount(afterEach)

// A catalog of 250 objects that only the loader holds: the component sees one page of it at a time.
const ALL: PrivilegeObject[] = Array.from({ length: 250 }, (_, i) => ({
  schema: i < 200 ? 'tenant_a' : 'tenant_b', name: `t${String(i).padStart(3, '0')}`, kind: 'table', owner: i % 7 === 0 ? 'app' : 'owner',
  ownedByRole: i % 7 === 0, dangerous: i % 7 === 0, sourceKinds: i % 7 === 0 ? ['owner'] : ['grant'],
  powers: { drop: i % 7 === 0, alter: i % 7 === 0, truncate: i % 7 === 0, delete: true, update: true, insert: true, select: true, reset: null },
}))
const loader = () => vi.fn(async (q: ObjectQuery): Promise<ObjectPage> => {
  const hits = ALL.filter((o) => (!q.schema || o.schema === q.schema) && (q.power !== 'dangerous' || o.dangerous))
  return { total: hits.length, offset: q.offset ?? 0, limit: q.limit ?? 100, objects: hits.slice(q.offset ?? 0, (q.offset ?? 0) + (q.limit ?? 100)) }
})
const mountMatrix = async (load = loader()) => {
  const wrapper = mount(PrivilegesMatrix, {
    props: { schemas: ['tenant_a', 'tenant_b'], total: ALL.length, load, exportUrl: (f: string) => `/export?format=${f}` },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, load }
}
const rows = (w: Awaited<ReturnType<typeof mountMatrix>>['wrapper']) => w.findAll('tbody tr.row')
const next = (w: Awaited<ReturnType<typeof mountMatrix>>['wrapper']) => w.find('[data-testid="matrix-next"]')

// A page of 100 rows of icons is slow to render in happy-dom on a busy machine.
describe('PrivilegesMatrix', { timeout: 30_000 }, () => {
  it('shows the first page of 100, with the total the server counted, and asks for the next page when asked', async () => {
    const { wrapper, load } = await mountMatrix()
    expect(load).toHaveBeenCalledTimes(1)
    expect(load.mock.calls[0][0]).toMatchObject({ offset: 0, limit: 100, sort: 'name', order: 'asc' })
    expect(rows(wrapper)).toHaveLength(100)
    expect(wrapper.find('[data-testid="matrix-count"]').text()).toContain('250 of 250 objects match, showing 1–100')
    expect(wrapper.text()).toContain('Page 1 of 3')
    await next(wrapper).trigger('click')
    await flushPromises()
    expect(load.mock.calls.at(-1)![0]).toMatchObject({ offset: 100, limit: 100 })
    expect(rows(wrapper)[0].text()).toContain('tenant_a.t100')
    expect(wrapper.text()).toContain('Page 2 of 3')
  })

  it('sends filters and sorting to the server and goes back to the first page', async () => {
    const { wrapper, load } = await mountMatrix()
    await next(wrapper).trigger('click')
    await flushPromises()
    await wrapper.find('[data-testid="filter-schema"]').setValue('tenant_b')
    await flushPromises()
    expect(load.mock.calls.at(-1)![0]).toMatchObject({ schema: 'tenant_b', offset: 0 })
    expect(rows(wrapper)).toHaveLength(50)
    expect(wrapper.find('nav.pager').exists()).toBe(false)
    await wrapper.find('[data-testid="dangerous-only"]').setValue(true)
    await flushPromises()
    expect(load.mock.calls.at(-1)![0]).toMatchObject({ schema: 'tenant_b', power: 'dangerous' })
    expect(rows(wrapper).every((r) => r.text().includes('app'))).toBe(true)
    await wrapper.findAll('th button.sort').find((b) => b.text().startsWith('Owner'))!.trigger('click')
    await flushPromises()
    expect(load.mock.calls.at(-1)![0]).toMatchObject({ sort: 'owner', order: 'asc' })
    expect(wrapper.findAll('th[aria-sort]').map((t) => t.attributes('aria-sort'))).toEqual(['ascending'])
  })

  it('is one tab stop: arrows move the focus between rows and Enter selects the row', async () => {
    const { wrapper } = await mountMatrix()
    expect(wrapper.findAll('tbody tr[tabindex="0"]')).toHaveLength(1)
    const first = rows(wrapper)[0]
    ;(first.element as HTMLElement).focus()
    await first.trigger('keydown', { key: 'ArrowDown' })
    await flushPromises()
    expect(document.activeElement).toBe(rows(wrapper)[1].element)
    expect(rows(wrapper)[1].attributes('tabindex')).toBe('0')
    await rows(wrapper)[1].trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('select')![0][0]).toMatchObject({ name: 't001' })
  })
})
