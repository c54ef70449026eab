import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { ChecklistRun } from '~contract/checklists'
import { startRun } from '../api/checklists'
import { useStartChecklist } from './useStartChecklist'

vi.mock('../api/checklists', () => ({ startRun: vi.fn() }))

async function setup(at: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/targets/:target/deploy', component: { render: () => null } },
      { path: '/targets/:target/checklists', component: { render: () => null } },
    ],
  })
  await router.push(at)
  let action!: ReturnType<typeof useStartChecklist>
  mount(defineComponent({ setup: () => { action = useStartChecklist(() => 'staging'); return () => h('div') } }), { global: { plugins: [router] } })
  return { router, action }
}

describe('useStartChecklist', () => {
  beforeEach(() => vi.resetAllMocks())

  it('starts the run and opens it on the Checklists page, busy until it is there', async () => {
    vi.mocked(startRun).mockResolvedValue({ id: 17 } as ChecklistRun)
    const { router, action } = await setup('/targets/staging/deploy')
    const done = action.run('pre')
    expect(action.busy.value).toBe(true)
    expect(await done).toBe(true)
    expect(startRun).toHaveBeenCalledWith('staging', 'pre')
    expect(router.currentRoute.value.fullPath).toBe('/targets/staging/checklists?run=17')
    expect(action.busy.value).toBe(false)
    router.back()
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/targets/staging/deploy')
  })

  it('on the Checklists page the new run takes the place of the one shown', async () => {
    vi.mocked(startRun).mockResolvedValue({ id: 18 } as ChecklistRun)
    const { router, action } = await setup('/targets/staging/deploy')
    await router.push('/targets/staging/checklists?run=5')
    await action.run('post')
    expect(router.currentRoute.value.fullPath).toBe('/targets/staging/checklists?run=18')
    router.back()
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/targets/staging/deploy')
  })

  it('shows why the run could not start, and stays where it is', async () => {
    vi.mocked(startRun).mockRejectedValue(new Error('An open pre-deploy run already exists'))
    const { router, action } = await setup('/targets/staging/deploy')
    expect(await action.run('pre')).toBe(false)
    expect(action.error.value).toBe('An open pre-deploy run already exists')
    expect(router.currentRoute.value.path).toBe('/targets/staging/deploy')
  })
})
