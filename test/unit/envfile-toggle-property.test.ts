import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'dotenv'
import { afterAll, describe, expect, it } from 'vitest'
import { RefusedError } from '~server/errors'
import { dotenvAssignments } from '~server/envfile/dotenv-syntax'
import { setSkipMigrations, withSkipMigrations } from '~server/envfile/toggle'

const KEY = 'SKIP_MIGRATIONS'
const CASES = 5000
// Every so many cases also go through the file: written, toggled, read back.
const ON_DISK_EVERY = 20

// mulberry32: a small seeded generator, so a failing case can be replayed from its seed.
function random(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return { chance: (p: number) => next() < p, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)], int }
}
type Random = ReturnType<typeof random>

const KEYS = [KEY, KEY, KEY, 'DB_HOST', 'DB_PASSWORD', 'DB_USER', 'API_TOKEN', 'skip_migrations', `${KEY}_OLD`, 'app.mode']
const WORDS = ['true', 'false', 'TRUE', '1', 'yes', 'p@ss', 'a b', 'x#y', 'it\'s', 'say "hi"', 'back`tick', '\\n', '\\"', '', ' ', 'é', `${KEY}=true`, '#', '=']

interface Features { [feature: string]: boolean }

/** One env file as people and tools write them, with the features it has. */
function envText(r: Random): { text: string, features: Features } {
  const endings = r.pick(['lf', 'crlf', 'cr', 'mixed'] as const)
  const features: Features = { [endings]: true }
  const eol = () => (endings === 'lf' ? '\n' : endings === 'crlf' ? '\r\n' : endings === 'cr' ? '\r' : r.pick(['\n', '\r\n', '\r']))
  const words = (n: number) => Array.from({ length: n }, () => r.pick(WORDS)).join(r.pick(['', ' ', '-']))
  const value = (): string => {
    const kind = r.int(8)
    if (kind <= 1) return words(r.int(3))
    if (kind <= 4) {
      const q = r.pick(['"', '\'', '`'])
      features[`quote ${q}`] = true
      return `${q}${words(r.int(3)).replaceAll(q, r.chance(0.5) ? `\\${q}` : '')}${q}`
    }
    if (kind <= 6) {
      // A quoted value over several lines, often holding text that looks like the key's assignment.
      const q = r.pick(['"', '\'', '`'])
      const inner = Array.from({ length: 1 + r.int(3) }, () => (r.chance(0.5) ? `${KEY}=${r.pick(['true', 'false'])}` : words(1 + r.int(2)).replaceAll(q, ''))).join(eol())
      features.multiline = true
      if (inner.includes(KEY)) features['multiline naming the key'] = true
      return `${q}${inner}${r.chance(0.9) ? q : ''}`
    }
    return r.pick(['"', '\'', '`']) + words(1) // an unterminated quote
  }
  const line = (): string => {
    const kind = r.int(10)
    if (kind === 0) return r.pick(['', ' ', '\t'])
    if (kind === 1) return `#${r.pick([' comment', ` ${KEY}=true`, ''])}`
    if (kind === 2) return r.pick(['not an assignment', '=x', `${KEY}`, `export ${KEY}`])
    const key = r.pick(KEYS)
    const exported = r.chance(0.2)
    if (exported) features.export = true
    const sep = r.chance(0.1) ? ': ' : `${r.pick(['', ' '])}=${r.pick(['', ' ', '  '])}`
    const comment = r.chance(0.25) ? `${r.pick([' ', '  ', ''])}#${r.pick([' note', ` ${KEY}=false`, ''])}` : ''
    if (comment) features['inline comment'] = true
    return `${r.pick(['', ' '])}${exported ? 'export ' : ''}${key}${sep}${value()}${comment}${r.pick(['', ' '])}`
  }
  const lines = Array.from({ length: r.int(9) }, line)
  let text = lines.map((l) => l + eol()).join('')
  if (r.chance(0.2)) text = text.slice(0, text.length - 1) // no final line end (or half of a CRLF)
  if (r.chance(0.2)) {
    text = `\uFEFF${text}`
    features.bom = true
  }
  if (dotenvAssignments(text).filter((a) => a.key === KEY).length > 1) features.duplicates = true
  return { text, features }
}

/** What the toggle must have produced: the same bytes but for the one value, parsed as asked. */
function expectOnlyTheValueChanged(before: string, after: string, value: string) {
  expect(parse(after)).toEqual({ ...parse(before), [KEY]: value })
  if (after === before) return // it was already exactly the value asked for
  if (!(KEY in parse(before))) {
    expect(after.startsWith(before)).toBe(true)
    expect(after.slice(before.length)).toMatch(new RegExp(`^(\\r\\n|\\r|\\n)?${KEY}=${value}(\\r\\n|\\r|\\n)$`))
    return
  }
  // Some split before = head + old + tail with after = head + value + tail, the old value on one line, right
  // after the key (dotenv lets the spaces around `=` span lines). The split is at or before the first difference.
  let p = 0
  while (p < before.length && p < after.length && before[p] === after[p]) p++
  const splits = Array.from({ length: p + 1 }, (_, s) => s).filter((s) => after.startsWith(value, s)).filter((s) => {
    const e = before.length - (after.length - s - value.length)
    return e >= s && after.slice(s + value.length) === before.slice(e)
      && !/[\r\n]/.test(before.slice(s, e)) && new RegExp(`${KEY}\\s*[=:]\\s*['"\`]?$`).test(after.slice(0, s))
  })
  expect(splits, 'a split that changes only the value').not.toEqual([])
}

describe('SKIP_MIGRATIONS toggle on generated env files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbsafe-toggle-property-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it(`changes only the value dotenv reads, or refuses with nothing written, over ${CASES} files`, () => {
    const done: Record<string, number> = {}
    const refused: Record<string, number> = {}
    for (let seed = 1; seed <= CASES; seed++) {
      const r = random(seed)
      const { text, features } = envText(r)
      const enabled = r.chance(0.5)
      const value = String(enabled)
      // dbsafe finds assignments as dotenv does.
      expect(Object.fromEntries(dotenvAssignments(text).map((a) => [a.key, a.value])), `seed ${seed}`).toEqual(parse(text))
      let after: string
      try {
        after = withSkipMigrations(text, enabled)
      } catch (err) {
        expect(err, `seed ${seed}`).toBeInstanceOf(RefusedError)
        const code = (err as RefusedError).code!
        expect(['multiline-value', 'edit-not-verified'], `seed ${seed}`).toContain(code)
        refused[code] = (refused[code] ?? 0) + 1
        continue
      }
      try {
        expectOnlyTheValueChanged(text, after, value)
      } catch (err) {
        throw new Error(`seed ${seed}: ${JSON.stringify(text)} → ${JSON.stringify(after)}: ${(err as Error).message}`, { cause: err })
      }
      for (const f of Object.keys(features)) done[f] = (done[f] ?? 0) + 1
    }
    console.log('toggled, by feature:', done, 'refused:', refused)
    // The generator reaches every feature, and most files are toggled rather than refused.
    for (const f of ['lf', 'crlf', 'cr', 'mixed', 'bom', 'export', 'quote "', 'quote \'', 'quote `', 'multiline', 'multiline naming the key', 'inline comment', 'duplicates']) {
      expect(done[f] ?? 0, f).toBeGreaterThan(100)
    }
    expect(Object.values(refused).reduce((a, b) => a + b, 0)).toBeLessThan(CASES / 4)
  }, 60_000)

  it(`writes the same bytes to disk, or leaves the directory as it was, over ${CASES / ON_DISK_EVERY} files`, () => {
    for (let seed = 1; seed <= CASES; seed += ON_DISK_EVERY) {
      const r = random(seed)
      const { text } = envText(r)
      const enabled = r.chance(0.5)
      const file = join(dir, `${seed}.env`)
      writeFileSync(file, text)
      const names = readdirSync(dir).sort()
      let expected: string
      try {
        expected = withSkipMigrations(text, enabled)
      } catch {
        expect(() => setSkipMigrations(file, enabled), `seed ${seed}`).toThrow(RefusedError)
        expect(readFileSync(file, 'utf8')).toBe(text)
        expect(readdirSync(dir).sort()).toEqual(names)
        continue
      }
      const { backup } = setSkipMigrations(file, enabled)
      expect(readFileSync(file, 'utf8'), `seed ${seed}`).toBe(expected)
      expect(readFileSync(backup, 'utf8')).toBe(text)
      expect(readdirSync(dir).sort()).toEqual([...names, backup.slice(dir.length + 1)].sort())
    }
  }, 60_000)
})
