import { enableAutoUnmount, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import TimeAgo from './TimeAgo.vue'

enableAutoUnmount(afterEach)
// 10 March 2026, 15:00 local time.
const NOW = new Date(2026, 2, 10, 15, 0)
beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(NOW)
})
afterEach(() => vi.useRealTimers())

/** A local time (months from 0, as Date counts them) as the API sends it. */
const at = (year: number, month: number, day: number, hour: number, minute: number, second = 0) => new Date(year, month, day, hour, minute, second).toISOString()
const show = (iso: string | null, none?: string) => mount(TimeAgo, { props: { at: iso, ...(none ? { none } : {}) } })

describe('TimeAgo', () => {
  it('says how long ago a time today was, with the full date and time on hover', () => {
    const iso = at(2026, 2, 10, 14, 55)
    const time = show(iso).get('time')
    expect(time.text()).toBe('5 min ago')
    expect(time.attributes('datetime')).toBe(iso)
    expect(time.attributes('title')).toContain('2026')
    expect(time.attributes('title')).toMatch(/2:55|14:55/)
  })

  it('says "just now" for the last minute and hours for earlier today, without a date', () => {
    expect(show(at(2026, 2, 10, 14, 59, 30)).text()).toBe('just now')
    expect(show(at(2026, 2, 10, 13, 0)).text()).toBe('2 h ago')
  })

  it('adds the date whenever the time is not today, even when it is only hours ago', () => {
    vi.setSystemTime(new Date(2026, 2, 10, 1, 0))
    const text = show(at(2026, 2, 9, 22, 0)).text()
    expect(text).toMatch(/^3 h ago, /)
    expect(text).toContain('Mar')
    expect(text).toMatch(/\b9\b/)
  })

  it('speaks of the future as "in …", with the date when it is another day', () => {
    expect(show(at(2026, 2, 10, 18, 0)).text()).toBe('in 3 h')
    const later = show(at(2026, 2, 15, 15, 0)).text()
    expect(later).toMatch(/^in 5 d, /)
    expect(later).toMatch(/\b15\b/)
  })

  it('names the year only when it is not this year', () => {
    expect(show(at(2026, 0, 2, 9, 0)).text()).not.toContain('2026')
    expect(show(at(2025, 11, 30, 9, 0)).text()).toContain('2025')
  })

  it('shows the placeholder when there is no time', () => {
    const wrapper = show(null, 'never')
    expect(wrapper.find('time').exists()).toBe(false)
    expect(wrapper.text()).toBe('never')
  })

  it('keeps counting while it is on screen', async () => {
    const wrapper = show(at(2026, 2, 10, 14, 55))
    await vi.advanceTimersByTimeAsync(2 * 60_000)
    expect(wrapper.text()).toBe('7 min ago')
  })
})
