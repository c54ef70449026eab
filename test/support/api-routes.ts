import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

export interface ApiRoute { file: string, method: string, path: string }

const METHODS = ['get', 'post', 'put', 'patch', 'delete']

/** Every route file under server/api as Nitro maps it, with path parameters filled by sample values (or as `{name}`). */
export function apiRoutes(root = 'server/api', opts: { templated?: boolean } = {}): ApiRoute[] {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  return files.map((f) => {
    const parts = relative('.', join(root, f)).replace(/\.ts$/, '').split('.')
    const method = METHODS.includes(parts.at(-1)!) ? parts.pop()!.toUpperCase() : 'GET'
    const path = '/' + parts.join('.').replace(/^server\//, '')
      .replace(/\/index$/, '')
      .replace(/\[\.\.\.[^\]]*\]/g, opts.templated ? '{...}' : 'some/unknown/path')
      .replace(/\[([^\]]+)\]/g, (_m, name: string) => (opts.templated ? `{${name}}` : name === 'id' ? '1' : 'main'))
    return { file: f, method, path }
  })
}
