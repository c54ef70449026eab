import type { ObjectChain, ObjectKind, ObjectPage, ObjectQuery, PrivilegeSummary } from '~contract/privileges'
import type { Computed } from '~contract/http'
import { api } from './client'

const path = (target: string) => `/targets/${encodeURIComponent(target)}/privileges`

function search(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}

export type ObjectFilters = Omit<ObjectQuery, 'sort' | 'order' | 'offset' | 'limit'>

export const getPrivileges = (target: string, role?: string) =>
  api<Computed<PrivilegeSummary>>(`${path(target)}${search({ role })}`)

export const getPrivilegeObjects = (target: string, query: ObjectQuery, role?: string) =>
  api<Computed<ObjectPage>>(`${path(target)}/objects${search({ ...query, role })}`)

export const getObjectChain = (target: string, ref: { kind: ObjectKind, schema: string, name: string }, role?: string) =>
  api<Computed<ObjectChain>>(`${path(target)}/chain${search({ ...ref, role })}`)

/** A plain link (the browser downloads it as it streams); the session cookie goes with it. */
export const privilegesExportUrl = (target: string, format: 'json' | 'csv', filters: ObjectFilters, role?: string) =>
  `/api${path(target)}/export${search({ ...filters, format, role })}`
