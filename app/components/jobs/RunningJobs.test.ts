import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Job } from '~contract/jobs'
import { listActiveJobs } from '~app/api/jobs'
import RunningJobs from './RunningJobs.vue'

vi.mock('../../api/jobs', async (actual) => ({ ...(await actual<object>()), listActiveJobs: vi.fn() }))
enableAutoUnmount(afterEach)

/** A job's server-sent events, sent by the test: one stream per job followed. */
class FakeEventSource {
  static open: FakeEventSource[] = []
  onerror: (() => void) | null = null
  closed = false
  private listeners = new Map<string, (e: { data: string }) => void>()
  constructor(readonly url: string) { FakeEventSource.open.push(this) }
  addEventListener(type: string, fn: (e: { data: string }) => void) { this.listeners.set(type, fn) }
  close() { this.closed = true }
  send(type: 'job' | 'log', data: unknown) { this.listeners.get(type)?.({ data: JSON.stringify(data) }) }
}
const streamOf = (id: number) => FakeEventSource.open.find((s) => s.url === `/api/jobs/${id}/events`)!

const job = (over: Partial<Job>): Job => ({
  id: 41, kind: 'backups.take', target: 'staging', status: 'running', params: {}, progress: {}, result: null, error: null,
  createdBy: 'admin', createdAt: '2026-12-01T10:00:00Z', startedAt: '2026-12-01T10:00:00Z', finishedAt: null, ...over,
})

function mountJobs(props: { follow?: (number | null)[] } = {}) {
  return mount(RunningJobs, { props: { target: 'staging', kinds: ['backups.take', 'backups.verify'], ...props }, attachTo: document.body })
}

describe('RunningJobs', () => {
  beforeEach(() => {
    vi.resetAllMocks()
    FakeEventSource.open = []
    vi.stubGlobal('EventSource', FakeEventSource)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('finds the target\'s running backup on arrival (after a navigation or a reload) and shows its live progress', async () => {
    vi.mocked(listActiveJobs).mockResolvedValue([job({ progress: { done: 3, total: 9, message: 'dumping public.users' } })])
    const wrapper = mountJobs()
    await flushPromises()
    expect(listActiveJobs).toHaveBeenCalledWith('staging', ['backups.take', 'backups.verify'])
    streamOf(41).send('job', job({ progress: { done: 3, total: 9, bytes: 2_500_000, message: 'dumping public.users' } }))
    await flushPromises()
    const card = wrapper.get('#job-41')
    expect(card.text()).toContain('Backup #41')
    expect(card.text()).toContain('3 of 9')
    expect(card.text()).toContain('dumping public.users')
    expect(card.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('33')
  })

  it('says how a backup ended in words, never the last progress message, and tells the page', async () => {
    vi.mocked(listActiveJobs).mockResolvedValue([job({})])
    const wrapper = mountJobs()
    await flushPromises()
    streamOf(41).send('job', job({ progress: { done: 8, total: 9, message: 'dumping public.users' } }))
    await flushPromises()
    const manifest = { sizeBytes: 12.3 * 1024 * 1024, tables: [] }
    streamOf(41).send('job', job({ status: 'succeeded', progress: { done: 9, total: 9, message: 'dumping public.users' }, result: manifest, finishedAt: '2026-12-01T10:00:08Z' }))
    await flushPromises()
    const card = wrapper.get('#job-41')
    expect(card.get('[data-testid="job-outcome"]').text()).toBe('Backup finished: 12.3 MB in 8 s')
    expect(card.text()).not.toContain('dumping public.users')
    expect(wrapper.emitted('finished')?.[0][0]).toMatchObject({ id: 41, status: 'succeeded' })
    expect(streamOf(41).closed).toBe(true)
  })

  it('shows a failed restore test with its reason, and lets the card be dismissed', async () => {
    vi.mocked(listActiveJobs).mockResolvedValue([job({ id: 42, kind: 'backups.verify', params: { backup: 'nightly.dump' } })])
    const wrapper = mountJobs()
    await flushPromises()
    streamOf(42).send('job', job({ id: 42, kind: 'backups.verify', params: { backup: 'nightly.dump' }, status: 'failed',
      error: 'Restore test failed: 2 tables differ', progress: { message: 'restoring' } }))
    await flushPromises()
    expect(wrapper.get('[data-testid="job-error"]').text()).toBe('Restore test of nightly.dump failed: Restore test failed: 2 tables differ')
    await wrapper.get('button[aria-label="Dismiss job #42"]').trigger('click')
    expect(wrapper.find('#job-42').exists()).toBe(false)
  })

  it('follows a job the page just started before the list names it, once, beside the ones already running', async () => {
    vi.mocked(listActiveJobs).mockResolvedValue([job({ id: 40 })])
    const wrapper = mountJobs({ follow: [null] })
    await flushPromises()
    await wrapper.setProps({ follow: [43] })
    await wrapper.setProps({ follow: [43] })
    await flushPromises()
    expect(wrapper.findAll('[data-testid="job-progress"]').map((c) => c.attributes('id'))).toEqual(['job-40', 'job-43'])
    expect(FakeEventSource.open.filter((s) => s.url.endsWith('/43/events'))).toHaveLength(1)
  })

  it('lets a finished card give way to the next job the page starts, keeping one still running', async () => {
    vi.mocked(listActiveJobs).mockResolvedValue([job({ id: 41 }), job({ id: 40 })])
    const wrapper = mountJobs()
    await flushPromises()
    streamOf(41).send('job', job({ status: 'succeeded', result: { sizeBytes: 2048, tables: [] }, finishedAt: '2026-12-01T10:00:03Z' }))
    await flushPromises()
    vi.mocked(listActiveJobs).mockResolvedValue([job({ id: 44, kind: 'backups.verify' }), job({ id: 40 })])
    await wrapper.setProps({ follow: [44] })
    await flushPromises()
    expect(wrapper.findAll('[data-testid="job-progress"]').map((c) => c.attributes('id'))).toEqual(['job-40', 'job-44'])
  })

  it('shows nothing when no job of the target is running', async () => {
    vi.mocked(listActiveJobs).mockResolvedValue([])
    const wrapper = mountJobs()
    await flushPromises()
    expect(wrapper.find('[data-testid="running-jobs"]').exists()).toBe(false)
    expect(wrapper.emitted('active')?.at(-1)).toEqual([[]])
  })
})
