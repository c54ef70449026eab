import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { MigrationDetail as Detail } from '~contract/migrations'
import { getMigration } from '~app/api/migrations'
import MigrationDetail from './MigrationDetail.vue'

vi.mock('../../api/migrations', () => ({ getMigration: vi.fn() }))

const detail = (name: string, sql: string): Detail =>
  ({ name, status: 'pending', checksum: 'abc', appliedAt: null, appliedBy: null, durationMs: null, findings: [], sql })
const stubs = { MigrationSql: { props: ['sql'], template: '<pre data-testid="sql">{{ sql }}</pre>' } }

describe('MigrationDetail', () => {
  beforeEach(() => vi.resetAllMocks())

  it('shows the file that was clicked last, whichever answer comes first', async () => {
    let answerFirst!: (d: Detail) => void
    vi.mocked(getMigration)
      .mockImplementationOnce(() => new Promise((resolve) => { answerFirst = resolve }))
      .mockResolvedValueOnce(detail('0002_orders.sql', 'CREATE TABLE orders ();'))
    const wrapper = mount(MigrationDetail, { props: { target: 'production', name: '0001_users.sql' }, global: { stubs } })
    await wrapper.setProps({ name: '0002_orders.sql' })
    await flushPromises()
    answerFirst(detail('0001_users.sql', 'CREATE TABLE users ();'))
    await flushPromises()
    expect(wrapper.get('h2').text()).toBe('0002_orders.sql')
    expect(wrapper.get('[data-testid="sql"]').text()).toBe('CREATE TABLE orders ();')
  })

  it('shows a placeholder while the next file loads, not the previous one', async () => {
    vi.mocked(getMigration)
      .mockResolvedValueOnce(detail('0001_users.sql', 'CREATE TABLE users ();'))
      .mockImplementationOnce(() => new Promise(() => {}))
    const wrapper = mount(MigrationDetail, { props: { target: 'production', name: '0001_users.sql' }, global: { stubs } })
    await flushPromises()
    expect(wrapper.get('[data-testid="sql"]').text()).toBe('CREATE TABLE users ();')
    await wrapper.setProps({ name: '0002_orders.sql' })
    expect(wrapper.find('[data-testid="sql"]').exists()).toBe(false)
    expect(wrapper.find('.skeleton').exists()).toBe(true)
  })

  it('says why the file could not be read', async () => {
    vi.mocked(getMigration).mockRejectedValue(new Error('Unknown migration "0009_x.sql"'))
    const wrapper = mount(MigrationDetail, { props: { target: 'production', name: '0009_x.sql' }, global: { stubs } })
    await flushPromises()
    expect(wrapper.get('.error-text').text()).toBe('Unknown migration "0009_x.sql"')
  })
})
