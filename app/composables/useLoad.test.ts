import { describe, expect, it } from 'vitest'
import { useLoad } from './useLoad'

/** A request the test answers when it chooses, as a slow server would. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (err: Error) => void
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

describe('useLoad', () => {
  it('is loading while the request runs, then shows its answer', async () => {
    const answer = deferred<string[]>()
    const { data, error, loading, load } = useLoad(() => answer.promise)
    const done = load()
    expect(loading.value).toBe(true)
    expect(data.value).toBeNull()
    answer.resolve(['production', 'staging'])
    expect(await done).toBe(true)
    expect(loading.value).toBe(false)
    expect(data.value).toEqual(['production', 'staging'])
    expect(error.value).toBeNull()
  })

  it('shows the server\'s message when the request fails, and no stale data beside it', async () => {
    let fail = false
    const { data, error, load } = useLoad(async () => {
      if (fail) throw new Error('Unknown target "nope"')
      return 'overview'
    })
    await load()
    fail = true
    expect(await load()).toBe(false)
    expect(error.value).toBe('Unknown target "nope"')
    expect(data.value).toBeNull()
  })

  it('drops an older request\'s answer that arrives after a newer one', async () => {
    const answers = { production: deferred<string>(), staging: deferred<string>() }
    let target: keyof typeof answers = 'production'
    const { data, loading, load } = useLoad(() => answers[target].promise)
    const first = load()
    target = 'staging'
    const second = load()
    answers.staging.resolve('staging overview')
    await second
    answers.production.resolve('production overview')
    expect(await first).toBe(false)
    expect(data.value).toBe('staging overview')
    expect(loading.value).toBe(false)
  })

  it('drops an older request\'s failure too, and stays loading while the newer one runs', async () => {
    const slow = deferred<string>()
    const fast = deferred<string>()
    const queue = [slow, fast]
    const { data, error, loading, load } = useLoad(() => queue.shift()!.promise)
    void load()
    const second = load()
    slow.reject(new Error('connection refused'))
    await Promise.resolve()
    expect(error.value).toBeNull()
    expect(loading.value).toBe(true)
    fast.resolve('fresh')
    await second
    expect(data.value).toBe('fresh')
    expect(error.value).toBeNull()
  })

  it('passes its arguments to the request, e.g. a page to append', async () => {
    const { data, load } = useLoad(async (older: boolean) => (older ? 'older page' : 'first page'))
    await load(true)
    expect(data.value).toBe('older page')
  })

  describe('with keep', () => {
    it('keeps the last answer on screen beside the error of a failed refresh', async () => {
      let down = false
      const { data, error, load } = useLoad(async () => {
        if (down) throw new Error('target unreachable')
        return { takenAt: '10:00' }
      }, { keep: true })
      await load()
      down = true
      await load()
      expect(data.value).toEqual({ takenAt: '10:00' })
      expect(error.value).toBe('target unreachable')
    })

    it('keeps the error shown while the next refresh runs, and clears it when one succeeds', async () => {
      const failing = deferred<string>()
      const succeeding = deferred<string>()
      const queue = [failing, succeeding]
      const { error, load } = useLoad(() => queue.shift()!.promise, { keep: true })
      const first = load()
      failing.reject(new Error('timeout'))
      await first
      const second = load()
      expect(error.value).toBe('timeout')
      succeeding.resolve('ok')
      await second
      expect(error.value).toBeNull()
    })
  })

  it('reset forgets what is shown and drops the answer still on its way', async () => {
    const answer = deferred<string>()
    const { data, loading, load, reset } = useLoad(() => answer.promise)
    data.value = 'production snapshot'
    const pending = load()
    reset()
    expect(data.value).toBeNull()
    expect(loading.value).toBe(false)
    answer.resolve('production snapshot, late')
    expect(await pending).toBe(false)
    expect(data.value).toBeNull()
  })
})
