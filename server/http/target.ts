import { createError, getRouterParam, type H3Event } from 'h3'
import type { TargetConfig } from '../config/schema'
import { useConsole } from '../context'

/** The target the path names; kept on the request so an error on the way is worded for it. */
export async function requireTarget(event: H3Event): Promise<TargetConfig> {
  const id = getRouterParam(event, 'target')
  const target = (await useConsole()).targets.find((t) => t.id === id)
  if (!target) throw createError({ statusCode: 404, message: `Unknown target "${id}"` })
  event.context.target = target
  return target
}

export const requestTarget = (event: H3Event): TargetConfig | undefined => event.context.target
