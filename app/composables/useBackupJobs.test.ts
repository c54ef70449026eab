import { beforeEach, describe, expect, it, vi } from 'vitest'
import { takeBackup, verifyBackup } from '../api/backups'
import { ApiRequestError } from '../api/client'
import { useBackupJobs } from './useBackupJobs'

vi.mock('../api/backups', () => ({ takeBackup: vi.fn(), verifyBackup: vi.fn() }))

describe('useBackupJobs', () => {
  beforeEach(() => vi.resetAllMocks())

  it('takes a backup of the target with the typed confirmation and follows its job', async () => {
    vi.mocked(takeBackup).mockResolvedValue({ jobId: 41 })
    const { job, take } = useBackupJobs(() => 'staging')
    const done = take.run('staging', 'pre-deploy')
    expect(take.busy).toBe(true)
    expect(await done).toBe(true)
    expect(takeBackup).toHaveBeenCalledWith('staging', { confirm: 'staging', label: 'pre-deploy' })
    expect(job.value).toEqual({ id: 41, title: 'Backup' })
    expect(take.busy).toBe(false)
  })

  it('shows why the server refused a backup, and follows no job', async () => {
    vi.mocked(takeBackup).mockRejectedValue(new ApiRequestError(409, 'A backup of staging is already running'))
    const { job, take } = useBackupJobs(() => 'staging')
    expect(await take.run('staging')).toBe(false)
    expect(take.error).toBe('A backup of staging is already running')
    expect(job.value).toBeNull()
  })

  it('follows the backup already running when the server refuses as busy and names its job', async () => {
    vi.mocked(takeBackup).mockRejectedValue(new ApiRequestError(409, 'A backup of "staging" is already running', { jobId: 39 }))
    const { job, take } = useBackupJobs(() => 'staging')
    expect(await take.run('staging')).toBe(true)
    expect(take.error).toBeNull()
    expect(job.value).toEqual({ id: 39, title: 'Backup', alreadyRunning: true })
  })

  it('restore-tests the backup asked for and follows that job instead', async () => {
    vi.mocked(takeBackup).mockResolvedValue({ jobId: 41 })
    vi.mocked(verifyBackup).mockResolvedValue({ jobId: 42 })
    const { job, take, verify } = useBackupJobs(() => 'staging')
    await take.run('staging')
    await verify.run('dbsafe_staging_20261124.dump')
    expect(verifyBackup).toHaveBeenCalledWith('staging', 'dbsafe_staging_20261124.dump')
    expect(job.value).toEqual({ id: 42, title: 'Restore test of dbsafe_staging_20261124.dump' })
  })

  it('asks for the target as it is when the button is pressed', async () => {
    vi.mocked(verifyBackup).mockResolvedValue({ jobId: 7 })
    let target = 'production'
    const { verify } = useBackupJobs(() => target)
    target = 'staging'
    await verify.run('b1')
    expect(verifyBackup).toHaveBeenCalledWith('staging', 'b1')
  })
})
