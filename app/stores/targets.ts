import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref } from 'vue'
import type { TargetSummary } from '../../contract/api'
import { listTargets } from '../api/targets'

export const useTargetsStore = defineStore('targets', () => {
  const targets = ref<TargetSummary[]>([])
  const loading = ref(false)
  const error = ref<string | null>(null)
  /** The target last looked at, so global pages (audit, users) keep the switcher where it was. */
  const currentId = ref<string | null>(localStorage.getItem('dbsafe.target'))

  async function load() {
    loading.value = true
    error.value = null
    try {
      targets.value = await listTargets()
      if (!targets.value.some((t) => t.id === currentId.value)) currentId.value = targets.value[0]?.id ?? null
    } catch (err) {
      error.value = (err as Error).message
    } finally {
      loading.value = false
    }
  }
  function select(id: string) {
    currentId.value = id
    localStorage.setItem('dbsafe.target', id)
  }
  return { targets, loading, error, currentId, load, select }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useTargetsStore, import.meta.hot))
