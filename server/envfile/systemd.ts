import { readdirSync, realpathSync } from 'node:fs'
import { basename, dirname, isAbsolute, join } from 'node:path'
import picomatch from 'picomatch'
import type { Warning } from '~contract/http'
import type { ProcessEnv, ProcessEnvSetting } from './process-env'
import { readConfigText } from './read-text'
import { environmentFileAssignments, environmentWords, unitDirectives } from './systemd-syntax'

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

interface EnvironmentFileRef { pattern: string, optional: boolean, unit: string, line: number, reset?: string }

/**
 * What a systemd unit puts in its service's environment, read as systemd.exec(5) documents it: the
 * Environment= lines of the unit and of its drop-ins (`<unit>.d/*.conf`, in lexical order), an empty
 * Environment= dropping all before it; then the EnvironmentFile= files, in order, which override
 * Environment=. Settings come in that order, so the last one of a key is what the process gets.
 */
export function readSystemdEnv(unitPath: string): ProcessEnv {
  const warnings: Warning[] = []
  const environment: ProcessEnvSetting[] = []
  const files: EnvironmentFileRef[] = []
  for (const { path, text } of unitFiles(unitPath, warnings)) {
    for (const d of unitDirectives(text)) {
      if (d.section !== 'Service') continue
      const where = `${path} line ${d.line}`
      if (d.key === 'Environment') {
        if (d.value === '') {
          for (const s of environment) s.ignored ??= `reset by the empty Environment= in ${where}`
          continue
        }
        const words = environmentWords(d.value)
        if (words) environment.push(...words.map((w) => assignment(w, path, d.line)))
        else warnings.push({ code: 'systemd-invalid-line', message: `systemd ignores the Environment= line in ${where}: it has an unterminated quote or an unknown escape.` })
      } else if (d.key === 'EnvironmentFile') {
        if (d.value === '') for (const f of files) f.reset ??= `reset by the empty EnvironmentFile= in ${where}`
        else files.push({ pattern: d.value.replace(/^-/, ''), optional: d.value.startsWith('-'), unit: path, line: d.line })
      }
    }
  }
  return { kind: 'systemd', settings: [...environment, ...files.flatMap((f) => environmentFileSettings(f, warnings))], warnings }
}

function unitFiles(unitPath: string, warnings: Warning[]): { path: string, text: string }[] {
  const unit = readConfigText(unitPath)
  if ('missing' in unit) {
    warnings.push({ code: 'systemd-unit-missing', message: `The systemd unit ${unitPath} (systemdUnit) does not exist: dbsafe cannot see what it sets.` })
    return []
  }
  const out: { path: string, text: string }[] = []
  for (const path of [unitPath, ...dropIns(unitPath, warnings)]) {
    const read = path === unitPath ? unit : readConfigText(path)
    if ('text' in read) out.push({ path, text: read.text })
    else if ('problem' in read && !masked(path)) warnings.push(unreadable(path, read.problem))
  }
  return out
}

// A drop-in linked to /dev/null is masked: systemd skips it.
function masked(path: string): boolean {
  try {
    return realpathSync(path) === '/dev/null'
  } catch {
    return false
  }
}

function dropIns(unitPath: string, warnings: Warning[]): string[] {
  const dir = `${unitPath}.d`
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.conf')).sort().map((n) => join(dir, n))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') warnings.push(unreadable(dir, code ?? (err as Error).message))
    return []
  }
}

function assignment(word: string, file: string, line: number): ProcessEnvSetting {
  const eq = word.indexOf('=')
  const key = eq < 0 ? word : word.slice(0, eq)
  // `%%` is the one specifier an assignment of a fixed value needs; systemd turns it into `%`.
  const setting: ProcessEnvSetting = { key, file, line, value: eq < 0 ? '' : word.slice(eq + 1).replaceAll('%%', '%'), block: 'Environment=' }
  return eq > 0 && NAME.test(key) ? setting : { ...setting, ignored: 'not a valid NAME=value assignment: systemd ignores it' }
}

function environmentFileSettings(ref: EnvironmentFileRef, warnings: Warning[]): ProcessEnvSetting[] {
  const block = `EnvironmentFile= of ${ref.unit} line ${ref.line}`
  if (!isAbsolute(ref.pattern)) {
    warnings.push({ code: 'systemd-invalid-line', message: `systemd ignores the ${block}: ${ref.pattern} is not an absolute path.` })
    return []
  }
  const paths = expand(ref.pattern)
  const read = paths.map((path) => ({ path, read: readConfigText(path) }))
  if (!ref.optional && !ref.reset && (!paths.length || read.some((r) => 'missing' in r.read))) {
    warnings.push({ code: 'environment-file-missing', message: `${ref.pattern}, named by the ${block} without a "-" prefix, does not exist: systemd will refuse to start the service.` })
  }
  return read.flatMap(({ path, read }) => {
    if ('problem' in read) warnings.push(unreadable(path, read.problem))
    if (!('text' in read)) return []
    return environmentFileAssignments(read.text).map(({ key, value, line }) => {
      const exported = /^export\s+(\S+)$/.exec(key)
      const ignored = ref.reset
        ?? (exported ? 'systemd does not understand "export": it drops the whole line' : NAME.test(key) ? undefined : 'not a valid variable name: systemd drops it')
      const note = /[ \t][#;]/.test(value) ? 'systemd keeps " #…" as part of the value: EnvironmentFile= has no inline comments' : undefined
      return { key: exported?.[1] ?? key, file: path, line, value, block, ...(ignored ? { ignored } : {}), ...(note ? { note } : {}) }
    })
  })
}

// systemd expands a wildcard in EnvironmentFile=; dbsafe expands it in the last path component.
function expand(pattern: string): string[] {
  if (!/[*?[]/.test(basename(pattern))) return [pattern]
  const dir = dirname(pattern)
  const match = picomatch(basename(pattern))
  try {
    return readdirSync(dir).filter((n) => match(n)).sort().map((n) => join(dir, n))
  } catch {
    return []
  }
}

function unreadable(path: string, problem: string): Warning {
  return { code: 'systemd-unreadable', message: `dbsafe cannot read ${path} (${problem}), so what it sets is not shown.` }
}
