import { nextTick, onBeforeUnmount, ref, watch } from 'vue'
import type { Job } from '~contract/jobs'
import { listActiveJobs } from '../api/jobs'

// Often enough to show a job another admin started while the page is open; each look is one indexed query.
const POLL_MS = 5000

/**
 * The jobs of a target a page shows: every one still queued or running (found on load and then every few seconds,
 * so navigating back, a reload or a second admin finds them) and those the page started itself (`follow`). A job
 * stays shown after it ends, with how it ended, until dismissed, the page starts another, or the target changes. `active` is what the
 * server last listed as still going, less those seen to finish since: e.g. "a backup is running" for a button.
 */
export function useTargetJobs(target: () => string, kinds: readonly string[] = []) {
  const shown = ref<number[]>([])
  const active = ref<Job[]>([])
  const error = ref<string | null>(null)
  // Seen to end over their streams: an answer sent just before that must not list them as going again.
  const over = new Set<number>()
  let latest = 0

  async function refresh() {
    const call = ++latest
    const asked = target()
    try {
      const jobs = await listActiveJobs(asked, kinds)
      if (call !== latest) return
      active.value = jobs.filter((j) => !over.has(j.id))
      error.value = null
      // Oldest first, so a card does not move when a newer one appears.
      for (const j of [...jobs].reverse()) if (!shown.value.includes(j.id)) shown.value = [...shown.value, j.id]
    } catch (err) {
      if (call === latest) error.value = (err as Error).message
    }
  }
  /** Shows a job the page just started; cards of jobs already over give way to it, as the page's last action's result. */
  function follow(id: number) {
    if (!shown.value.includes(id)) shown.value = [...shown.value.filter((s) => !over.has(s)), id]
    void refresh()
  }
  function ended(id: number) {
    over.add(id)
    active.value = active.value.filter((j) => j.id !== id)
  }
  function dismiss(id: number) {
    shown.value = shown.value.filter((s) => s !== id)
  }

  watch(target, () => {
    shown.value = []
    active.value = []
    over.clear()
    void refresh()
  }, { immediate: true })
  const timer = setInterval(() => { void refresh() }, POLL_MS)
  onBeforeUnmount(() => clearInterval(timer))
  return { shown, active, error, refresh, follow, ended, dismiss }
}

/** Brings job `id`'s card (RunningJobs' `#job-<id>`) into view and moves focus to it: "follow it" on a busy button. */
export async function showJob(id: number): Promise<void> {
  await nextTick()
  const card = document.getElementById(`job-${id}`)
  card?.scrollIntoView({ block: 'center' })
  card?.focus()
}
