import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/**
 * Calls `refresh` every `everyMs` while the tab is visible and not paused; a tab coming back into view
 * refreshes at once. Calls never overlap, so a slow server is not asked twice;
 * one asked for meanwhile runs right after.
 */
export function useLiveRefresh(refresh: () => Promise<void>, everyMs: number): { paused: Ref<boolean>, busy: Ref<boolean>, now: () => Promise<void> } {
  const paused = ref(false)
  const busy = ref(false)
  let timer: ReturnType<typeof setInterval> | undefined

  let again = false
  async function now() {
    if (busy.value) { again = true; return }
    busy.value = true
    try {
      do {
        again = false
        await refresh()
      } while (again)
    } finally {
      busy.value = false
    }
  }
  const tick = () => {
    if (!paused.value && !busy.value && document.visibilityState === 'visible') void now()
  }
  const onVisibility = () => {
    if (document.visibilityState === 'visible') tick()
  }
  onMounted(() => {
    timer = setInterval(tick, everyMs)
    document.addEventListener('visibilitychange', onVisibility)
  })
  onBeforeUnmount(() => {
    clearInterval(timer)
    document.removeEventListener('visibilitychange', onVisibility)
  })
  return { paused, busy, now }
}
