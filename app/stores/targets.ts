import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { listTargets } from '../api/targets'
import { useLoad } from '../composables/useLoad'

export const useTargetsStore = defineStore('targets', () => {
  const { data, loading, error, load: fetchTargets } = useLoad(() => listTargets(), { keep: true })
  const targets = computed(() => data.value ?? [])
  /** The target last looked at, so global pages (audit, users) keep the switcher where it was. */
  const currentId = ref<string | null>(localStorage.getItem('dbsafe.target'))
  const current = computed(() => targets.value.find((t) => t.id === currentId.value) ?? null)

  async function load() {
    if (!await fetchTargets()) return
    if (!targets.value.some((t) => t.id === currentId.value)) currentId.value = targets.value[0]?.id ?? null
  }
  function select(id: string) {
    currentId.value = id
    localStorage.setItem('dbsafe.target', id)
  }
  return { targets, loading, error, currentId, current, load, select }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useTargetsStore, import.meta.hot))
