import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { apiRoutes } from '../support/api-routes'

// The OpenAPI document is the contract scripted clients rely on: every route file must be in it.
const doc = readFileSync('openapi.yaml', 'utf8')

describe('openapi.yaml', () => {
  const routes = apiRoutes('server/api', { templated: true }).filter((r) => !r.path.includes('{...'))
  it.each(routes)('documents $method $path', ({ method, path }) => {
    const block = doc.split(/\n {2}(?=\/)/).find((b) => b.startsWith(`${path}:`))
    expect(block, `${path} is missing`).toBeDefined()
    expect(block).toMatch(new RegExp(`\\n {4}${method.toLowerCase()}:`))
  })
})
