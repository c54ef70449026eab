import type { RestoreStep, RestoreStepName } from '~contract/restore'
import type { JobContext } from '../jobs/run'

/** Each step's outcome for the result, announced on the job's log and progress as it starts and ends. */
export class Steps {
  readonly list: RestoreStep[]
  private current: { step: RestoreStep, started: number } | null = null

  /** `onEnd` hears each step as it ends, ok or failed (e.g. to audit it at once). */
  constructor(names: RestoreStepName[], private readonly ctx: JobContext, private readonly onEnd?: (step: RestoreStep) => void) {
    this.list = names.map((step) => ({ step, status: 'not-run' }))
  }

  begin(name: RestoreStepName, message: string): void {
    this.end()
    const step = this.list.find((s) => s.step === name)!
    const index = this.list.indexOf(step)
    this.current = { step, started: Date.now() }
    this.ctx.log(`step ${index + 1}/${this.list.length} ${name}: ${message}`)
    this.ctx.progress({ done: index, total: this.list.length, message: `${name}: ${message}` })
  }

  end(detail?: string): void {
    if (!this.current) return
    const { step, started } = this.current
    Object.assign(step, { status: 'ok', durationMs: Date.now() - started }, detail ? { detail } : {})
    if (detail) this.ctx.log(`${step.step}: ${detail}`)
    this.current = null
    this.onEnd?.(step)
  }

  fail(err: unknown): void {
    if (!this.current) return
    const { step, started } = this.current
    Object.assign(step, { status: 'failed', durationMs: Date.now() - started, detail: (err as Error).message })
    this.current = null
    this.onEnd?.(step)
  }

  /** The job context for a step's own tools: their progress messages name the step. */
  context(name: RestoreStepName): JobContext {
    return {
      log: (line) => this.ctx.log(line),
      progress: (p) => this.ctx.progress(p.message ? { ...p, message: `${name}: ${p.message}` } : p),
    }
  }
}
