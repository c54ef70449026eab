import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref } from 'vue'
import type { LoginBody, Role, SessionUser } from '~contract/auth'
import * as auth from '../api/auth'
import { ApiRequestError, setUnauthorizedHandler } from '../api/client'

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 }

export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null)
  let loaded: Promise<void> | undefined

  function ensureLoaded() {
    loaded ??= auth.me().then((u) => { user.value = u }, (err) => {
      if (!(err instanceof ApiRequestError && err.status === 401)) throw err
    })
    return loaded
  }
  async function login(body: LoginBody) {
    user.value = await auth.login(body)
  }
  async function logout() {
    await auth.logout().catch(() => {})
    user.value = null
  }
  const can = (role: Role) => !!user.value && RANK[user.value.role] >= RANK[role]

  setUnauthorizedHandler(() => {
    user.value = null
    if (location.pathname !== '/login') location.assign(`/login?redirect=${encodeURIComponent(location.pathname)}`)
  })
  return { user, ensureLoaded, login, logout, can }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSessionStore, import.meta.hot))
