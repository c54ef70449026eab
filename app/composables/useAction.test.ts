import { describe, expect, it, vi } from 'vitest'
import { useAction } from './useAction'

describe('useAction', () => {
  it('is busy while the request runs and not after', async () => {
    let finish!: () => void
    const { busy, run } = useAction(() => new Promise<void>((resolve) => { finish = resolve }))
    const done = run()
    expect(busy.value).toBe(true)
    finish()
    expect(await done).toBe(true)
    expect(busy.value).toBe(false)
  })

  it('shows the server\'s message when the request fails, and clears it on the next try', async () => {
    const request = vi.fn()
      .mockRejectedValueOnce(new Error('Type "production" to confirm'))
      .mockResolvedValueOnce(undefined)
    const { busy, error, run } = useAction(request)
    expect(await run('prod')).toBe(false)
    expect(error.value).toBe('Type "production" to confirm')
    expect(busy.value).toBe(false)
    const retry = run('production')
    expect(error.value).toBeNull()
    expect(await retry).toBe(true)
    expect(request).toHaveBeenLastCalledWith('production')
  })

  it('sends one request for a double click', async () => {
    let finish!: () => void
    const request = vi.fn(() => new Promise<void>((resolve) => { finish = resolve }))
    const { run } = useAction(request)
    const first = run()
    expect(await run()).toBe(false)
    finish()
    await first
    expect(request).toHaveBeenCalledTimes(1)
  })
})
