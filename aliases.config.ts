// The import aliases, one list for Vite, Vitest and Nitro (tsconfig.base.json's `paths` mirrors it for
// TypeScript, tsx and Playwright): a folder is named from the project root instead of climbing `../../..`.
import { fileURLToPath } from 'node:url'

const dir = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export const aliases = {
  '~app': dir('./app'),
  '~contract': dir('./contract'),
  '~server': dir('./server'),
  '~scripts': dir('./scripts'),
}
