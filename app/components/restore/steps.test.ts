import { describe, expect, it } from 'vitest'
import type { Job } from '~contract/jobs'
import { restoreSteps } from './steps'

const job = (progress: Job['progress'], result: unknown = null): Job => ({
  id: 1, kind: 'restore.emergency', target: 'staging', status: result ? 'failed' : 'running', params: {}, progress, result, error: null,
  createdBy: 'admin', createdAt: '', startedAt: null, finishedAt: null,
})
const states = (j: Job | null) => restoreSteps(j).map((s) => s.status)

describe('restore steps as the page shows them', () => {
  it('are all pending before the job says anything', () => {
    expect(states(null)).toEqual(Array(7).fill('pending'))
  })

  it('follow the step the progress message names, whatever progress a tool reports inside it', () => {
    expect(states(job({ done: 3, total: 7, message: 'restore: restoring into "db_restore_x"' }))).toEqual(['ok', 'ok', 'ok', 'running', 'pending', 'pending', 'pending'])
    expect(states(job({ done: 12, total: 40, message: 'safety-backup: dumping public.events' }))).toEqual(['ok', 'ok', 'running', 'pending', 'pending', 'pending', 'pending'])
  })

  it('come from the result once there is one, a failed job included, with each step\'s detail', () => {
    const steps = [
      { step: 'preflight', status: 'ok', detail: 'custom backup' }, { step: 'skip-migrations', status: 'ok' }, { step: 'safety-backup', status: 'ok' },
      { step: 'restore', status: 'ok' }, { step: 'counts', status: 'failed', detail: 'public.things: 9 rows restored, the manifest recorded 10' },
      { step: 'privileges', status: 'not-run' }, { step: 'swap', status: 'not-run' },
    ]
    const view = restoreSteps(job({ message: 'counts: comparing' }, { steps }))
    expect(view.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'failed', 'not-run', 'not-run'])
    expect(view[4]).toMatchObject({ label: 'Check tables and exact row counts', detail: expect.stringContaining('manifest recorded 10') })
  })
})
