import { createRouter, createWebHistory } from 'vue-router'
import { handleHotUpdate, routes } from 'vue-router/auto-routes'
import { useSessionStore } from './stores/session'

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  const session = useSessionStore()
  await session.ensureLoaded()
  if (to.path !== '/login' && !session.user) return { path: '/login', query: { redirect: to.fullPath } }
  if (to.path === '/login' && session.user) return { path: '/' }
})

if (import.meta.hot) handleHotUpdate(router)
