import { MAX_JOBS, MAX_JOBS_PER_TARGET } from './sessions'

interface Waiting { target: string, start: () => void, position: (n: number) => void }

// This instance's jobs: how many run, per target and in all, and those waiting, in arrival order.
const waiting: Waiting[] = []
const runningPerTarget = new Map<string, number>()
let running = 0

/**
 * Waits until a job for `target` may run here (at most MAX_JOBS at once, MAX_JOBS_PER_TARGET per target), and
 * resolves with the function that frees its slot. While it waits, `position` hears its 1-based place in the queue
 * each time it changes; a job that can start at once never hears one.
 */
export function takeSlot(target: string, position: (n: number) => void): Promise<() => void> {
  return new Promise((resolve) => {
    const entry: Waiting = {
      target,
      position,
      start: () => {
        running++
        runningPerTarget.set(target, (runningPerTarget.get(target) ?? 0) + 1)
        resolve(once(() => {
          running--
          runningPerTarget.set(target, runningPerTarget.get(target)! - 1)
          schedule()
        }))
      },
    }
    waiting.push(entry)
    schedule()
    if (waiting.includes(entry)) entry.position(waiting.length)
  })
}

/** Starts every waiting job that fits, first come first served (a job whose target is full lets later ones by). */
function schedule(): void {
  let moved = false
  for (let i = 0; i < waiting.length && running < MAX_JOBS;) {
    const entry = waiting[i]
    if ((runningPerTarget.get(entry.target) ?? 0) >= MAX_JOBS_PER_TARGET) {
      i++
      continue
    }
    waiting.splice(i, 1)
    moved = true
    entry.start()
  }
  if (moved) for (const [i, entry] of waiting.entries()) entry.position(i + 1)
}

function once(fn: () => void): () => void {
  let done = false
  return () => {
    if (!done) fn()
    done = true
  }
}
