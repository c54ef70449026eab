import { ref, type Ref } from 'vue'

/** One fetch with its loading and error state: what every page does before it can render. */
export function useLoad<T>(fetcher: () => Promise<T>) {
  const data = ref(null) as Ref<T | null>
  const error = ref<string | null>(null)
  const loading = ref(false)
  async function load() {
    loading.value = true
    error.value = null
    try {
      data.value = await fetcher()
    } catch (err) {
      data.value = null
      error.value = (err as Error).message
    } finally {
      loading.value = false
    }
  }
  return { data, error, loading, load }
}
