import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { MigrationDetail as Detail } from '~contract/migrations'
import { getMigration } from '~app/api/migrations'
import MigrationDetail from './MigrationDetail.vue'

vi.mock('../../api/migrations', () => ({ getMigration: vi.fn() }))

const detail = (name: string, sql: string, more: Partial<Detail> = {}): Detail =>
  ({ name, status: 'pending', checksum: 'abc', appliedAt: null, appliedBy: null, durationMs: null, findings: [], sql, language: 'sql', ...more })
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

const MODULE = `import type { Migration } from './types'
export const migration: Migration = {
  id: '001_config_table',
  async up(db) {
    await db.exec(\`
      ALTER TABLE events
        DROP COLUMN legacy_flag
    \`)
  },
  async down(db) { await db.exec('DROP TABLE crearis_config') },
}
`
const lineOf = (needle: string) => MODULE.slice(0, MODULE.indexOf(needle)).split('\n').length
const dropColumn = { rule: 'drop-column', severity: 'destructive', message: 'DROP COLUMN legacy_flag deletes that column', line: lineOf('ALTER TABLE events'), statement: 'ALTER TABLE events DROP COLUMN legacy_flag', phase: 'up' } as const
const dropTable = { rule: 'drop-table', severity: 'destructive', message: 'DROP TABLE crearis_config deletes the table', line: lineOf('DROP TABLE crearis_config'), statement: 'DROP TABLE crearis_config', phase: 'down' } as const

describe('MigrationDetail of a TypeScript migration module', () => {
  beforeEach(() => vi.resetAllMocks())

  const open = async () => {
    vi.mocked(getMigration).mockResolvedValue(detail('001_init_schema.ts', MODULE, { language: 'typescript', findings: [dropColumn, dropTable] }))
    const wrapper = mount(MigrationDetail, { props: { target: 'app', name: '001_init_schema.ts' } })
    await flushPromises()
    const rows = wrapper.findAll('[data-testid="migration-sql"] > [role="row"]')
    const lineRow = (n: number) => rows.findIndex((r) => r.classes('line') && r.get('.n').text() === String(n))
    return { wrapper, rows, lineRow }
  }

  it('highlights the module as TypeScript, the SQL template in string colour on each of its lines', async () => {
    const { rows, lineRow } = await open()
    expect(rows[lineRow(lineOf('export const migration'))].find('.hljs-keyword').text()).toBe('export')
    const inTemplate = rows[lineRow(lineOf('DROP COLUMN legacy_flag'))]
    expect(inTemplate.get('.hljs-string').text()).toContain('DROP COLUMN legacy_flag')
  })

  it('shows each finding right under its line', async () => {
    const { rows, lineRow } = await open()
    const note = rows[lineRow(dropColumn.line) + 1]
    expect(note.classes()).toEqual(expect.arrayContaining(['note', 'destructive']))
    expect(note.text()).toContain('drop-column')
  })

  it('labels a finding of down() "only on rollback", muted, and does not count it as destructive', async () => {
    const { wrapper, rows, lineRow } = await open()
    const note = rows[lineRow(dropTable.line) + 1]
    expect(note.text()).toContain('only on rollback')
    expect(note.classes()).toContain('rollback')
    expect(note.classes()).not.toContain('destructive')
    expect(rows[lineRow(dropTable.line)].classes()).toContain('rollback')
    expect(wrapper.get('[data-testid="findings-summary"]').text()).toBe('Findings, shown at their lines: 1 destructive, 1 only on rollback.')
  })

  it('still highlights a .sql file as SQL, a block comment in comment colour on each of its lines', async () => {
    vi.mocked(getMigration).mockResolvedValue(detail('0001_users.sql', '/* users\n   and roles */\nCREATE TABLE users ();\n'))
    const wrapper = mount(MigrationDetail, { props: { target: 'production', name: '0001_users.sql' } })
    await flushPromises()
    const lines = wrapper.findAll('[data-testid="migration-sql"] .line code')
    expect(lines).toHaveLength(3)
    expect(lines[1].get('.hljs-comment').text()).toBe('and roles */')
    expect(lines[2].get('.hljs-keyword').text()).toBe('CREATE')
  })

  it('reads the migration again when a run changes its status in the list, so it never says pending after it applied', async () => {
    vi.mocked(getMigration)
      .mockResolvedValueOnce(detail('004_drop', 'DROP TABLE t;'))
      .mockResolvedValueOnce(detail('004_drop', 'DROP TABLE t;', { status: 'applied' }))
    const wrapper = mount(MigrationDetail, { props: { target: 'app', name: '004_drop', status: 'pending' }, global: { stubs } })
    await flushPromises()
    expect(wrapper.find('header').text()).toContain('pending')
    await wrapper.setProps({ status: 'applied' })
    await flushPromises()
    expect(getMigration).toHaveBeenCalledTimes(2)
    expect(wrapper.find('header').text()).toContain('applied')
  })

  it('shows a drifted file\'s checksums then and now and the fix, never a re-run', async () => {
    vi.mocked(getMigration).mockResolvedValue(detail('0001_users.sql', 'CREATE TABLE users (id int, email text);', {
      status: 'drifted', checksum: 'f00d', appliedChecksum: 'beef', appliedAt: '2026-11-20T09:00:00Z', appliedBy: 'olga', file: '0001_users.sql',
    }))
    const wrapper = mount(MigrationDetail, { props: { target: 'production', name: '0001_users.sql' }, global: { stubs } })
    await flushPromises()
    expect(wrapper.get('[data-testid="drift-then"]').text()).toBe('beef')
    expect(wrapper.get('[data-testid="drift-now"]').text()).toBe('f00d')
    const text = wrapper.get('[data-testid="drift"]').text()
    expect(text).toContain('git log -p -- 0001_users.sql')
    expect(text).toContain('restore the file as it ran')
    expect(text).toContain('new migration')
    expect(text).toContain('Re-running an applied migration is never the fix')
  })

  it('says nothing of drift for an applied file', async () => {
    vi.mocked(getMigration).mockResolvedValue(detail('0001_users.sql', 'CREATE TABLE users ();', { status: 'applied' }))
    const wrapper = mount(MigrationDetail, { props: { target: 'production', name: '0001_users.sql' }, global: { stubs } })
    await flushPromises()
    expect(wrapper.find('[data-testid="drift"]').exists()).toBe(false)
  })
})
