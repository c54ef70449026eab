import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MigrationRow, MigrationRunner } from '~contract/migrations'
import { ApiRequestError } from '~app/api/client'
import { runMigrations } from '~app/api/migrations'
import MigrationsRunDialog from './MigrationsRunDialog.vue'

vi.mock('../../api/migrations', () => ({ runMigrations: vi.fn() }))
enableAutoUnmount(afterEach)

const row = (name: string, findings: MigrationRow['findings'] = []): MigrationRow =>
  ({ name, status: 'pending', checksum: 'abc', appliedAt: null, appliedBy: null, durationMs: null, findings })
const pending = [
  row('0004_add_index.sql'),
  row('0005_drop_legacy.sql', [{ rule: 'drop-table', severity: 'destructive', message: 'DROP TABLE deletes legacy_orders', line: 2, statement: 'DROP TABLE legacy_orders' }]),
]

async function openDialog(runner: MigrationRunner = { via: 'dbsafe', available: true }, rows = pending) {
  const wrapper = mount(MigrationsRunDialog, { props: { open: false, target: 'production', pending: rows, runner }, attachTo: document.body })
  await wrapper.setProps({ open: true })
  return wrapper
}
async function confirm(wrapper: Awaited<ReturnType<typeof openDialog>>) {
  await wrapper.get('[data-testid="confirm-input"]').setValue('production')
  await wrapper.findAll('button').find((b) => b.text() === 'Run migrations')!.trigger('click')
  await flushPromises()
}

describe('MigrationsRunDialog', () => {
  beforeEach(() => vi.resetAllMocks())

  it('runs every pending migration by default and lists the destructive statements to accept', async () => {
    vi.mocked(runMigrations).mockResolvedValue({ jobId: 9 })
    const wrapper = await openDialog()
    expect((wrapper.get('[data-testid="up-to"]').element as HTMLSelectElement).value).toBe('0005_drop_legacy.sql')
    expect(wrapper.get('fieldset').text()).toContain('0005_drop_legacy.sql:drop-table')
    expect(wrapper.get('fieldset').text()).toContain('line 2: DROP TABLE deletes legacy_orders')

    await wrapper.get('fieldset input[type="checkbox"]').setValue(true)
    await confirm(wrapper)
    expect(runMigrations).toHaveBeenCalledWith('production', expect.objectContaining({
      confirm: 'production', upTo: '0005_drop_legacy.sql', acknowledge: ['0005_drop_legacy.sql:drop-table'],
    }))
    expect(wrapper.emitted('started')).toEqual([[9]])
  })

  it('asks nothing about destructive statements it will not run', async () => {
    const wrapper = await openDialog()
    await wrapper.get('[data-testid="up-to"]').setValue('0004_add_index.sql')
    expect(wrapper.find('fieldset').exists()).toBe(false)
  })

  it('sends the override reason only when one is written', async () => {
    vi.mocked(runMigrations).mockResolvedValue({ jobId: 9 })
    const wrapper = await openDialog()
    await wrapper.get('textarea').setValue('  backup taken by the DBA at 09:00  ')
    await confirm(wrapper)
    expect(vi.mocked(runMigrations).mock.calls[0][1].override).toEqual({ reason: 'backup taken by the DBA at 09:00' })
  })

  it('shows the refusal, and a retry is the same run to the server', async () => {
    vi.mocked(runMigrations)
      .mockRejectedValueOnce(new ApiRequestError(412, 'No verified backup younger than 24 h'))
      .mockResolvedValueOnce({ jobId: 10 })
    const wrapper = await openDialog()
    await confirm(wrapper)
    expect(wrapper.get('[role="alert"]').text()).toBe('No verified backup younger than 24 h')
    expect(wrapper.emitted('started')).toBeUndefined()
    await confirm(wrapper)
    const [first, retry] = vi.mocked(runMigrations).mock.calls.map(([, body]) => body.idempotencyKey)
    expect(retry).toBe(first)
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect(wrapper.emitted('started')).toEqual([[10]])
  })

  it('opened again, it starts a new run with a clean form', async () => {
    vi.mocked(runMigrations).mockRejectedValue(new Error('refused'))
    const wrapper = await openDialog()
    await wrapper.get('textarea').setValue('urgent fix')
    await confirm(wrapper)
    await wrapper.setProps({ open: false })
    await wrapper.setProps({ open: true })
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect((wrapper.get('textarea').element as HTMLTextAreaElement).value).toBe('')
    await confirm(wrapper)
    const [first, second] = vi.mocked(runMigrations).mock.calls.map(([, body]) => body.idempotencyKey)
    expect(second).not.toBe(first)
  })

  it('says when the files changed since the last rehearsal, or that none was done, and nothing while it is unknown', async () => {
    const wrapper = await openDialog()
    expect(wrapper.find('[data-testid="run-rehearsal-note"]').exists()).toBe(false)
    await wrapper.setProps({ rehearsal: { rehearsal: null, drift: null } })
    expect(wrapper.get('[data-testid="run-rehearsal-note"]').text()).toContain('No rehearsal has been done')
    const rehearsal = {
      id: 1, target: 'production', ok: true, startedAt: '2026-01-01T10:00:00Z', finishedAt: '2026-01-01T10:00:05Z', server: 'restore-test' as const,
      restoreMs: 900, createdBy: 'olga', migrations: [{ name: '0004_add_index.sql', checksum: 'old', catchUp: false, status: 'ok' as const, durationMs: 40, locks: [] }],
      backup: { id: 'nightly.dump', createdAt: '2026-01-01T02:00:00Z', status: 'verified' as const, format: 'custom' as const, sizeBytes: 1, mtimeMs: 0, sha256: 'x' },
    }
    await wrapper.setProps({ rehearsal: { rehearsal, drift: { changed: true, modified: ['0004_add_index.sql'], added: ['0005_drop_legacy.sql'], noLongerPending: [] } } })
    expect(wrapper.get('[data-testid="run-rehearsal-note"]').text())
      .toMatch(/^The files changed since the last rehearsal \(.+\): 0004_add_index\.sql changed, 0005_drop_legacy\.sql not rehearsed\./)
  })

  it("through the app's own command without a way to stop early: names the command, sends no upTo, and never asks to accept a DROP that runs only on rollback", async () => {
    vi.mocked(runMigrations).mockResolvedValue({ jobId: 9 })
    const rows = [
      row('004_drop_legacy_flags', [
        { rule: 'drop-column', severity: 'destructive', message: 'DROP COLUMN loses data', line: 12, statement: 'ALTER TABLE ${table} DROP COLUMN legacy_flag', phase: 'up' },
        { rule: 'drop-table', severity: 'destructive', message: 'DROP TABLE deletes event_tags', line: 20, statement: 'DROP TABLE event_tags', phase: 'down' },
      ]),
    ]
    const wrapper = await openDialog({ via: 'command', available: true, command: ['pnpm', 'db:migrate'], upTo: false }, rows)
    expect(document.body.querySelector('[data-testid="run-command"]')?.textContent).toContain('pnpm db:migrate')
    expect(document.body.querySelector('[data-testid="up-to"]')).toBeNull()
    const boxes = [...document.body.querySelectorAll<HTMLInputElement>('.acks input[type="checkbox"]')]
    expect(boxes.map((b) => b.value)).toEqual(['004_drop_legacy_flags:drop-column'])
    await wrapper.findAll('input[type="checkbox"]')[0].setValue(true)
    await confirm(wrapper)
    expect(runMigrations).toHaveBeenCalledWith('production', expect.not.objectContaining({ upTo: expect.anything() }))
    expect(vi.mocked(runMigrations).mock.calls[0][1].acknowledge).toEqual(['004_drop_legacy_flags:drop-column'])
  })
})
