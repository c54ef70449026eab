import { enableAutoUnmount, flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import type { MigrationRow, MigrationRunner, RunCheck, RunPreconditions } from '~contract/migrations'
import { ApiRequestError } from '~app/api/client'
import { runMigrations } from '~app/api/migrations'
import { listTargets } from '~app/api/targets'
import { useTargetsStore } from '~app/stores/targets'
import MigrationsRunDialog from './MigrationsRunDialog.vue'

vi.mock('../../api/migrations', () => ({ runMigrations: vi.fn() }))
vi.mock('../../api/targets', () => ({ listTargets: vi.fn() }))
enableAutoUnmount(afterEach)

const row = (name: string, findings: MigrationRow['findings'] = []): MigrationRow =>
  ({ name, status: 'pending', checksum: 'abc', appliedAt: null, appliedBy: null, durationMs: null, findings })
const pending = [
  row('0004_add_index.sql'),
  row('0005_drop_legacy.sql', [{ rule: 'drop-table', severity: 'destructive', message: 'DROP TABLE deletes legacy_orders', line: 2, statement: 'DROP TABLE legacy_orders' }]),
]

// As the server words them; `acknowledged` fails until the dialog's own boxes are ticked.
const serverChecks = (backup: Partial<RunCheck> = {}): RunPreconditions => ({
  runningJobId: null,
  checks: [
    { id: 'runner', ok: true, text: 'dbsafe runs the SQL files itself' },
    { id: 'tracker', ok: true, text: 'The dbsafe tracker can be read' },
    { id: 'drift', ok: true, text: 'Applied migrations match their files' },
    { id: 'pending', ok: true, text: '2 migrations to run' },
    { id: 'acknowledged', ok: false, text: '1 destructive statement not accepted yet' },
    { id: 'backup', ok: true, overridable: true, text: 'The newest usable backup is 12 minutes old (a run needs one from the last 60 minutes)', ...backup },
    { id: 'no-other-run', ok: true, text: 'No other run is in progress' },
  ],
})
const stale = serverChecks({ ok: false, text: 'The newest usable backup is 33 hours old; a run needs one from the last 60 minutes' })

async function openDialog(runner: MigrationRunner = { via: 'dbsafe', available: true }, rows = pending, preconditions: RunPreconditions | null = serverChecks()) {
  const wrapper = mount(MigrationsRunDialog, {
    props: { open: false, target: 'production', pending: rows, runner, preconditions }, attachTo: document.body, global: { stubs: { RouterLink: RouterLinkStub } },
  })
  await wrapper.setProps({ open: true })
  return wrapper
}
const runButton = (wrapper: Awaited<ReturnType<typeof openDialog>>) => wrapper.get('button[type="submit"]')
const state = (wrapper: Awaited<ReturnType<typeof openDialog>>, id: string) => wrapper.get(`[data-testid="run-check-${id}"]`)
/** Accepts every destructive statement shown, types the target and clicks Run. */
async function confirm(wrapper: Awaited<ReturnType<typeof openDialog>>) {
  for (const box of wrapper.findAll('.acks input[type="checkbox"]')) await box.setValue(true)
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
    const wrapper = await openDialog(undefined, pending, stale)
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
    const wrapper = await openDialog(undefined, pending, stale)
    await wrapper.get('textarea').setValue('urgent fix, DBA on call')
    await confirm(wrapper)
    await wrapper.setProps({ open: false })
    await wrapper.setProps({ open: true })
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect((wrapper.get('textarea').element as HTMLTextAreaElement).value).toBe('')
    await wrapper.get('textarea').setValue('urgent fix, DBA on call')
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

  it('states the preconditions before the click and keeps Run disabled until each holds or the backup is overridden in writing', async () => {
    vi.mocked(runMigrations).mockResolvedValue({ jobId: 9 })
    const wrapper = await openDialog(undefined, pending, stale)
    expect(state(wrapper, 'backup').attributes('data-state')).toBe('failed')
    expect(state(wrapper, 'backup').text()).toContain('The newest usable backup is 33 hours old; a run needs one from the last 60 minutes')
    expect(state(wrapper, 'backup').getComponent(RouterLinkStub).props('to')).toBe('/targets/production/backups')
    expect(state(wrapper, 'acknowledged').text()).toContain('1 of 1 destructive statements still to accept below')
    expect(state(wrapper, 'runner').attributes('data-state')).toBe('ok')
    expect(state(wrapper, 'no-other-run').text()).toContain('No other run is in progress')
    await wrapper.get('[data-testid="confirm-input"]').setValue('production')
    expect(runButton(wrapper).attributes('disabled')).toBeDefined()

    await wrapper.get('.acks input[type="checkbox"]').setValue(true)
    expect(state(wrapper, 'acknowledged').attributes('data-state')).toBe('ok')
    expect(runButton(wrapper).attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="override-reason"]').setValue('too short')
    expect(runButton(wrapper).attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="override-reason"]').setValue('restore-tested copy taken by the DBA at 09:00')
    expect(state(wrapper, 'backup').attributes('data-state')).toBe('overridden')
    expect(runButton(wrapper).attributes('disabled')).toBeUndefined()
  })

  it('offers no override while the backup is fresh, and waits for the checks before Run can be clicked', async () => {
    const fresh = await openDialog()
    expect(fresh.find('[data-testid="override-reason"]').exists()).toBe(false)
    const loading = await openDialog(undefined, pending, null)
    expect(loading.text()).toContain('Checking the preconditions…')
    await loading.get('.acks input[type="checkbox"]').setValue(true)
    expect(runButton(loading).attributes('disabled')).toBeDefined()
    await loading.setProps({ preconditionsError: 'Target unreachable' })
    expect(loading.get('[role="alert"]').text()).toBe('Could not check the preconditions: Target unreachable')
  })

  it('names the target and the count in its title, marks production, and follows the migration chosen', async () => {
    vi.mocked(listTargets).mockResolvedValue([{ id: 'production', label: 'Shop production', environment: 'production', colour: null, reachable: true }])
    await useTargetsStore().load()
    const wrapper = await openDialog()
    expect(wrapper.get('h2').text()).toBe('Run 2 migrations on Shop production')
    expect(wrapper.get('[data-testid="environment-badge"]').text()).toBe('production')
    expect(wrapper.get('[data-testid="production-note"]').text()).toContain('This is production.')
    await wrapper.get('[data-testid="up-to"]').setValue('0004_add_index.sql')
    expect(wrapper.get('h2').text()).toBe('Run 1 migration on Shop production')
  })

  it('opens with focus on the first field, and lists the locking warnings of what it will run', async () => {
    const lock: MigrationRow['findings'][number] = { rule: 'create-index-non-concurrent', severity: 'warning', message: 'CREATE INDEX blocks writes to orders while it builds', line: 1, statement: 'CREATE INDEX ON orders (created_at)' }
    const wrapper = await openDialog(undefined, [row('0004_add_index.sql', [lock]), pending[1]])
    await nextTick()
    expect(document.activeElement).toBe(wrapper.get('[data-testid="up-to"]').element)
    expect(wrapper.get('[data-testid="run-warnings"]').text()).toContain('0004_add_index.sql line 1: CREATE INDEX blocks writes to orders while it builds')
  })

  it('names a mistyped target after the click instead of staying silently disabled', async () => {
    const wrapper = await openDialog()
    await wrapper.get('.acks input[type="checkbox"]').setValue(true)
    await wrapper.get('[data-testid="confirm-input"]').setValue('Production')
    await runButton(wrapper).trigger('click')
    await flushPromises()
    expect(runMigrations).not.toHaveBeenCalled()
    expect(wrapper.get('[data-testid="confirm-mismatch"]').text()).toBe('Type production exactly; you typed Production')
  })
})
