import { createError, getRouterParam, type H3Event } from 'h3'
import type { TargetConfig } from '../config/schema'
import { useConsole } from '../context'

export async function requireTarget(event: H3Event): Promise<TargetConfig> {
  const id = getRouterParam(event, 'target')
  const target = (await useConsole()).targets.find((t) => t.id === id)
  if (!target) throw createError({ statusCode: 404, message: `Unknown target "${id}"` })
  return target
}
