/**
 * The LINE expression of dotenv's `parse` (dist/index.cjs of the installed dotenv; the `fast` parser is not the
 * app's), with names on its parts so each value's place in the text is known. Naming a group changes nothing
 * of what it matches.
 */
const LINE = /(?:^|^)\s*(?:export\s+)?(?<key>[\w.-]+)(?<sep>\s*=\s*?|:\s+?)(?<raw>\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dmg
const QUOTES = '\'"`'

export interface DotenvAssignment {
  key: string
  /** The value dotenv gives the key. */
  value: string
  /** The line of the key, counting `\r\n`, `\r` and `\n` as line ends as dotenv does. */
  line: number
  /** Where the value is written in the text (trimmed, quotes included); an empty value is an empty span. */
  start: number
  end: number
  /** The span between the quotes when the value is quoted, else the same as start/end. */
  innerStart: number
  innerEnd: number
  /** The written value spans more than one line. */
  multiline: boolean
}

/** Every assignment dotenv reads from the text, in the order it reads them: the last one of a key wins. */
export function dotenvAssignments(text: string): DotenvAssignment[] {
  // dotenv turns every \r\n and lone \r into \n before matching; `at` maps each index back into `text`.
  const at = new Uint32Array(text.length + 1)
  let normalized = ''
  let n = 0
  for (let i = 0; i < text.length; n++) {
    at[n] = i
    const width = text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1
    normalized += text[i] === '\r' ? '\n' : text[i]
    i += width
  }
  at[n] = text.length

  const out: DotenvAssignment[] = []
  let line = 1
  let counted = 0
  for (const m of normalized.matchAll(LINE)) {
    const groups = m.groups as { key: string, raw?: string }
    const spans = m.indices!.groups as { key: [number, number], sep: [number, number], raw?: [number, number] }
    const raw = groups.raw ?? ''
    const trimmed = raw.trim()
    const rawStart = spans.raw?.[0] ?? spans.sep[1]
    const start = trimmed ? rawStart + raw.indexOf(trimmed) : rawStart
    const end = start + trimmed.length
    const quoted = trimmed.length >= 2 && QUOTES.includes(trimmed[0]) && trimmed.at(-1) === trimmed[0]
    for (; counted < spans.key[0]; counted++) if (normalized[counted] === '\n') line++
    out.push({
      key: groups.key,
      value: dotenvValue(trimmed),
      line,
      start: at[start],
      end: at[end],
      innerStart: at[quoted ? start + 1 : start],
      innerEnd: at[quoted ? end - 1 : end],
      multiline: trimmed.includes('\n'),
    })
  }
  return out
}

// dotenv's own steps from the matched value to the string the app gets.
function dotenvValue(trimmed: string): string {
  const value = trimmed.replace(/^(['"`])([\s\S]*)\1$/mg, '$2')
  return trimmed[0] === '"' ? value.replace(/\\n/g, '\n').replace(/\\r/g, '\r') : value
}
