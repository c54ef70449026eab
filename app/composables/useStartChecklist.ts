import { useRouter } from 'vue-router'
import type { ChecklistPhase } from '~contract/checklists'
import { startRun } from '../api/checklists'
import { useAction } from './useAction'

/**
 * Starts a checklist run, which reads live state first, then opens it: the Checklists page's and the
 * Deploy steps' one way to start one. On the Checklists page the run replaces the one shown, as picking one does.
 */
export function useStartChecklist(target: () => string) {
  const router = useRouter()
  return useAction(async (phase: ChecklistPhase) => {
    const run = await startRun(target(), phase)
    const to = { path: `/targets/${target()}/checklists`, query: { run: run.id } }
    await (router.currentRoute.value.path === to.path ? router.replace(to) : router.push(to))
  })
}
