import type { ApiError } from '~contract/http'

export class ApiRequestError extends Error {
  constructor(readonly status: number, message: string, readonly data?: unknown) {
    super(message)
  }
}

let onUnauthorized: (() => void) | undefined
/** Lets the session store react when any call finds the session gone. */
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn
}

export async function api<T>(path: string, init: { method?: string, body?: unknown } = {}): Promise<T> {
  const res = await fetch(`/api${path}`, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
  })
  const payload = res.headers.get('content-type')?.includes('application/json') ? await res.json() : null
  if (!res.ok) {
    const err = payload as ApiError | null
    if (res.status === 401 && path !== '/auth/login') onUnauthorized?.()
    throw new ApiRequestError(res.status, err?.message ?? `${res.status} ${res.statusText}`, err?.data)
  }
  return payload as T
}
