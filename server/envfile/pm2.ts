import { basename, extname } from 'node:path'
import type { Warning } from '~contract/http'
import type { TargetConfig } from '../config/schema'
import type { ProcessEnv, ProcessEnvSetting } from './process-env'
import { readConfigText } from './read-text'
import { elements, entries, property, readStaticSource, scalar, type Node, type StaticSource } from './static-js'

type Pm2Config = NonNullable<TargetConfig['pm2Ecosystem']>

/**
 * What PM2 puts in the app's environment from an ecosystem file, read statically (the file is parsed,
 * never run): the app's `env` block, then `env_<name>` over it when the target says the app is started
 * with `--env <name>`, as PM2's mergeEnvironmentVariables does. Values become what the child process
 * gets (`true` → "true"); a value that is code is reported with its line and no value.
 */
export function readPm2Env(config: Pm2Config): ProcessEnv {
  const warnings: Warning[] = []
  const result = (settings: ProcessEnvSetting[] = []): ProcessEnv => ({ kind: 'pm2', settings, warnings })
  const read = readConfigText(config.path)
  if ('missing' in read) {
    warnings.push({ code: 'pm2-file-missing', message: `The PM2 ecosystem file ${config.path} (pm2Ecosystem.path) does not exist: dbsafe cannot see what it sets.` })
    return result()
  }
  if ('problem' in read) return result([unknown(config.path, 1, 'the file', `dbsafe cannot read it (${read.problem})`)])
  let src: StaticSource
  try {
    src = readStaticSource(read.text, extname(config.path) === '.json')
  } catch (err) {
    return result([unknown(config.path, (err as { loc?: { line: number } }).loc?.line ?? 1, 'the file', `dbsafe cannot parse it (${(err as Error).message})`)])
  }
  if (!src.root) return result([unknown(config.path, 1, 'the file', 'it exports no module.exports = {…} or export default {…} that dbsafe can read without running it')])
  const top = entries(src, src.root)
  const code = top.find((e) => e.key === null)
  if (!top.some((e) => e.key === 'apps') && code) return result([unknown(config.path, code.line, 'the file', `its apps may come from ${code.code}, code dbsafe does not run`)])
  const apps = elements(src, property(src, src.root, 'apps')?.value)
  const app = apps.find((a) => a && appName(src, a) === config.app)
  if (!app) {
    const opaque = apps.filter((a) => !a || appName(src, a) === null).length
    warnings.push({ code: 'pm2-app-missing', message: `No app named "${config.app}" in the apps of ${config.path}${opaque ? `; ${opaque} of its apps are code dbsafe does not run, so it may be one of them` : ''}.` })
    return result(opaque ? [unknown(config.path, 1, 'apps', 'the apps list is code dbsafe does not run')] : [])
  }
  const blocks = entries(src, app).filter((e) => e.key === 'env' || e.key?.startsWith('env_'))
  const applied = ['env', ...(config.env ? [`env_${config.env}`] : [])]
  const settings = (name: string, ignored?: string) => blocks.filter((b) => b.key === name).flatMap((b) => blockSettings(src, config.path, name, b.value, ignored))
  const other = blocks.map((b) => b.key as string).filter((k) => !applied.includes(k))
  return result([
    ...applied.flatMap((name) => settings(name)),
    ...[...new Set(other)].flatMap((name) => settings(name, `applies only when the app is started with --env ${name.slice(4)}; pm2Ecosystem.env is ${config.env ? `"${config.env}"` : 'not set'}`)),
  ])
}

function blockSettings(src: StaticSource, file: string, block: string, node: Node | null, ignored?: string): ProcessEnvSetting[] {
  return entries(src, node).map((e) => {
    const v = e.key === null ? { code: e.code ?? '' } : scalar(src, e.value)
    const base = { key: e.key, file, line: e.line, block, ...(ignored ? { ignored } : {}) }
    if ('value' in v) return { ...base, value: v.value }
    const note = e.key === null ? `${v.code} may set any variable, and dbsafe does not run code` : `set by code dbsafe does not run: ${v.code}`
    return { ...base, value: null, note }
  })
}

// PM2 names an app without `name` after its script's file name.
function appName(src: StaticSource, app: Node): string | null {
  const name = property(src, app, 'name')
  if (name) {
    const v = scalar(src, name.value)
    return 'value' in v ? v.value : null
  }
  const script = scalar(src, property(src, app, 'script')?.value)
  return 'value' in script ? basename(script.value, extname(script.value)) : null
}

function unknown(file: string, at: number, block: string, note: string): ProcessEnvSetting {
  return { key: null, file, line: at, value: null, block, note }
}
