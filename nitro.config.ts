import { fileURLToPath } from 'node:url'
import { defineNitroConfig } from 'nitropack/config'
import { aliases } from './aliases.config.ts'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

const securityHeaders = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
}

export default defineNitroConfig({
  compatibilityDate: '2026-11-01',
  srcDir: 'server',
  imports: false,
  alias: aliases,
  errorHandler: here('./server/error.ts'),
  // The node-server preset's entry with timeouts for slow clients (server/entry.ts says why).
  entry: here('./server/entry.ts'),
  // The built SPA: hashed assets are served as files, index.html also as a server asset for the SPA fallback.
  publicAssets: [{ dir: here('./dist'), baseURL: '/', maxAge: 0 }, { dir: here('./dist/assets'), baseURL: '/assets', maxAge: 31_536_000 }],
  serverAssets: [{ baseName: 'spa', dir: here('./dist') }],
  // API answers hold per-user data: never stored by a browser or a proxy.
  routeRules: { '/**': { headers: securityHeaders }, '/api/**': { headers: { 'cache-control': 'no-store' } } },
  // libpg-query loads its WebAssembly parser at run time; file tracing cannot see that read.
  externals: { traceInclude: [here('./node_modules/libpg-query/wasm/libpg-query.wasm')] },
  runtimeConfig: {},
  typescript: { generateTsConfig: false },
})
