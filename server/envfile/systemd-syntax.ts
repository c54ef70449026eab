// The three syntaxes systemd reads an app's environment in, each as systemd itself reads it:
// unit-file lines (systemd.syntax(7)), Environment= words (its "Quoting" rules) and EnvironmentFile=
// files (a shell-like format of systemd's own, not dotenv's: no inline comments, no `export`).

const WHITESPACE = ' \t\n\r'
const NEWLINE = '\n\r'
const ESCAPABLE_IN_DOUBLE_QUOTES = '"\\`$'

export interface Directive { section: string, key: string, value: string, line: number }

/**
 * The `Key=value` lines of a unit file with the line each starts on. A line ending in an unescaped
 * backslash continues on the next, the backslash becoming a space; comment lines inside a continuation
 * are skipped, as systemd does.
 */
export function unitDirectives(text: string): Directive[] {
  const out: Directive[] = []
  let section = ''
  const take = (l: string, line: number) => {
    const header = /^\[([^\]]+)\]$/.exec(l)
    if (header) section = header[1]
    else if (l.includes('=')) out.push({ section, key: l.slice(0, l.indexOf('=')).trim(), value: l.slice(l.indexOf('=') + 1).trim(), line })
  }
  let pending: { line: number, text: string } | null = null
  text.split(/\r?\n/).forEach((raw, i) => {
    if (/^\s*[#;]/.test(raw)) return
    const line = pending?.line ?? i + 1
    const joined = (pending?.text ?? '') + raw
    pending = null
    if (/(^|[^\\])(\\\\)*\\$/.test(joined)) pending = { line, text: `${joined.slice(0, -1)} ` }
    else take(joined.trim(), line)
  })
  const last = pending as { line: number, text: string } | null
  if (last) take(last.text.trim(), last.line)
  return out
}

const C_ESCAPES: Record<string, string> = { 'a': '\x07', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', 's': ' ', '\\': '\\', '"': '"', '\'': '\'' }
const NUMERIC_ESCAPE = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3}))/

/**
 * Splits an Environment= value into its words: whitespace separates, single or double quotes group (and
 * may start mid-word), C escapes apply inside and outside quotes. null when systemd would reject the
 * line (an unterminated quote, an unknown escape), so it sets nothing.
 */
export function environmentWords(value: string): string[] | null {
  const words: string[] = []
  let i = 0
  while (i < value.length) {
    if (WHITESPACE.includes(value[i])) { i++; continue }
    let word = ''
    let quote: string | null = null
    for (; i < value.length; i++) {
      const c = value[i]
      if (c === '\\') {
        const esc = cEscape(value, i + 1)
        if (!esc) return null
        word += esc.text
        i += esc.length
      } else if (quote) {
        if (c === quote) quote = null
        else word += c
      } else if (c === '"' || c === '\'') {
        quote = c
      } else if (WHITESPACE.includes(c)) {
        break
      } else {
        word += c
      }
    }
    if (quote) return null
    words.push(word)
  }
  return words
}

function cEscape(s: string, at: number): { text: string, length: number } | null {
  const c = s[at]
  if (c !== undefined && c in C_ESCAPES) return { text: C_ESCAPES[c], length: 1 }
  const m = NUMERIC_ESCAPE.exec(s.slice(at, at + 9))
  if (!m) return null
  const code = m[4] ? parseInt(m[4], 8) : parseInt(m[1] ?? m[2] ?? m[3], 16)
  // systemd refuses NUL and what is not a code point.
  if (code === 0 || code > 0x10ffff) return null
  return { text: String.fromCodePoint(code), length: m[0].length }
}

/**
 * An EnvironmentFile= file as systemd parses it (src/basic/env-file.c): `#`/`;` comment lines only at the
 * start, unquoted values keep interior whitespace and any `#`, single quotes literal, double quotes
 * unescape only `"\`$`, backslash-newline continues. Every assignment in file order with its first line;
 * keys are not validated here.
 */
export function environmentFileAssignments(text: string): { key: string, value: string, line: number }[] {
  type State = 'preKey' | 'key' | 'preValue' | 'value' | 'valueEscape' | 'single' | 'double' | 'doubleEscape' | 'comment' | 'commentEscape'
  const out: { key: string, value: string, line: number }[] = []
  let state: State = 'preKey'
  let key = ''
  let value = ''
  let keyEnd = -1
  let valueEnd = -1
  let line = 1
  let keyLine = 1
  const push = () => {
    out.push({ key: keyEnd >= 0 ? key.slice(0, keyEnd) : key, value, line: keyLine })
    key = ''
    value = ''
  }
  for (const c of text) {
    switch (state) {
      case 'preKey':
        if (c === '#' || c === ';') state = 'comment'
        else if (!WHITESPACE.includes(c)) [state, key, keyEnd, keyLine] = ['key', c, -1, line]
        break
      case 'key':
        if (NEWLINE.includes(c)) [state, key] = ['preKey', '']
        else if (c === '=') [state, valueEnd] = ['preValue', -1]
        else {
          if (!WHITESPACE.includes(c)) keyEnd = -1
          else if (keyEnd < 0) keyEnd = key.length
          key += c
        }
        break
      case 'preValue':
        if (NEWLINE.includes(c)) {
          state = 'preKey'
          push()
        } else if (c === '\'') state = 'single'
        else if (c === '"') state = 'double'
        else if (c === '\\') state = 'valueEscape'
        else if (!WHITESPACE.includes(c)) [state, value] = ['value', value + c]
        break
      case 'value':
        if (NEWLINE.includes(c)) {
          state = 'preKey'
          if (valueEnd >= 0) value = value.slice(0, valueEnd)
          push()
        } else if (c === '\\') [state, valueEnd] = ['valueEscape', -1]
        else {
          if (!WHITESPACE.includes(c)) valueEnd = -1
          else if (valueEnd < 0) valueEnd = value.length
          value += c
        }
        break
      case 'valueEscape':
        state = 'value'
        if (!NEWLINE.includes(c)) value += c
        break
      case 'single':
        if (c === '\'') state = 'preValue'
        else value += c
        break
      case 'double':
        if (c === '"') state = 'preValue'
        else if (c === '\\') state = 'doubleEscape'
        else value += c
        break
      case 'doubleEscape':
        state = 'double'
        if (ESCAPABLE_IN_DOUBLE_QUOTES.includes(c)) value += c
        else if (c !== '\n') value += `\\${c}`
        break
      case 'comment':
        if (c === '\\') state = 'commentEscape'
        else if (NEWLINE.includes(c)) state = 'preKey'
        break
      case 'commentEscape':
        state = NEWLINE.includes(c) ? 'preKey' : 'comment'
        break
    }
    if (c === '\n') line++
  }
  if (state === 'value' && valueEnd >= 0) value = value.slice(0, valueEnd)
  if (['preValue', 'value', 'valueEscape', 'single', 'double', 'doubleEscape'].includes(state)) push()
  return out
}
