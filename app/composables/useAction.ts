import { ref } from 'vue'

/** A button's request: busy while it runs, the server's message when it fails, never two at once. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>) {
  const busy = ref(false)
  const error = ref<string | null>(null)
  async function run(...args: A): Promise<boolean> {
    if (busy.value) return false
    busy.value = true
    error.value = null
    try {
      await action(...args)
      return true
    } catch (err) {
      error.value = (err as Error).message
      return false
    } finally {
      busy.value = false
    }
  }
  return { busy, error, run }
}
