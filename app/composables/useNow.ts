import { onBeforeUnmount, onMounted, readonly, ref } from 'vue'

// One clock for every relative time on screen ("5 min ago" becomes "6 min ago" without a reload), ticking only
// while something shows it.
const now = ref(Date.now())
let users = 0
let timer: ReturnType<typeof setInterval> | undefined

export function useNow() {
  // The first one on screen after a pause must not render with the time the clock last stopped at.
  if (users === 0) now.value = Date.now()
  onMounted(() => {
    if (users++ === 0) timer = setInterval(() => { now.value = Date.now() }, 30_000)
  })
  onBeforeUnmount(() => { if (--users === 0) clearInterval(timer) })
  return readonly(now)
}
