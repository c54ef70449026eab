import { ref, type Ref } from 'vue'

/**
 * One fetch with its loading and error state: what every page does before it can render.
 * Only the newest call's answer is shown: an answer to an older call (another target, another filter,
 * a refresh overtaken by the next) is dropped. With `keep`, what is shown stays until the answer arrives,
 * and a failed reload keeps the last data beside its error, for views that refresh in place.
 */
export function useLoad<T, A extends unknown[] = []>(fetcher: (...args: A) => Promise<T>, options: { keep?: boolean } = {}) {
  const data = ref(null) as Ref<T | null>
  const error = ref<string | null>(null)
  const loading = ref(false)
  let latest = 0

  /** Resolves true when this call's answer is the one now shown. */
  async function load(...args: A): Promise<boolean> {
    const call = ++latest
    loading.value = true
    if (!options.keep) error.value = null
    try {
      const value = await fetcher(...args)
      if (call !== latest) return false
      data.value = value
      error.value = null
      return true
    } catch (err) {
      if (call !== latest) return false
      if (!options.keep) data.value = null
      error.value = (err as Error).message
      return false
    } finally {
      if (call === latest) loading.value = false
    }
  }
  /** Forgets what is shown and drops any answer still on its way, e.g. when the page's target changes. */
  function reset() {
    latest++
    data.value = null
    error.value = null
    loading.value = false
  }
  return { data, error, loading, load, reset }
}
