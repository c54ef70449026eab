import { describe, expect, it } from 'vitest'
import { FINAL_JOB_STATUSES, isFinalJob, type JobStatus } from '~contract/jobs'
import { isDriftedOrMissing, isPendingOrFailed, type MigrationState } from '~contract/migrations'

describe('migration and job states', () => {
  it.each<[MigrationState, boolean, boolean]>([
    ['applied', false, false], ['pending', true, false], ['failed', true, false], ['drifted', false, true], ['missing', false, true],
  ])('%s: pending or failed %s, drifted or missing %s', (status, waiting, broken) => {
    expect(isPendingOrFailed({ status })).toBe(waiting)
    expect(isDriftedOrMissing({ status })).toBe(broken)
  })

  it.each<[JobStatus, boolean]>([['queued', false], ['running', false], ['succeeded', true], ['failed', true], ['interrupted', true]])(
    'job %s is final: %s', (status, final) => {
      expect(isFinalJob(status)).toBe(final)
      expect(FINAL_JOB_STATUSES.includes(status)).toBe(final)
    })
})
