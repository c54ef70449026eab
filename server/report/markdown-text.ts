// Markdown building blocks that keep whatever a file, a role or a person wrote inert: text is escaped, code is fenced
// with a fence longer than any backtick run inside it, table cells never break the row.

/**
 * Plain text in running Markdown, lines joined: what could open emphasis, code, a link, HTML or a table cell is
 * escaped; `_` inside a word (role_name) is left, since CommonMark never reads it as emphasis.
 */
export const text = (s: string): string => s.replace(/\r\n?|\n/g, ' ')
  .replace(/[\\`*[\]<>|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|^[#+-]/g, (c) => `\\${c}`)

const longestRun = (s: string): number => Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length))

/** Inline code, safe for any content (backticks included). */
export function code(s: string): string {
  const flat = s.replace(/\r\n?|\n/g, ' ')
  const fence = '`'.repeat(longestRun(flat) + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

/** A fenced block. */
export function block(s: string, lang = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(s) + 1))
  return `${fence}${lang}\n${s.replace(/\s+$/, '')}\n${fence}`
}

/** A quote of what a person wrote. */
export const quote = (s: string): string => s.split(/\r\n?|\n/).map((line) => `> ${text(line)}`).join('\n')

/** A table; cells are already Markdown (escaped with `text` or `code`). */
export function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return ''
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/(?<!\\)\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`
  return [line(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n')
}

/** "2026-12-01 20:50:12 UTC": a report is a document, read later and elsewhere, so times are absolute. */
export const utc = (iso: string | null | undefined): string => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—')

export const observed = (at: string): string => `_Observed ${utc(at)}._`

// Marks from common text fonts (as the CLI prints them), not emoji a server's browser may lack.
export const mark = (ok: boolean | null): string => (ok === null ? '⚠' : ok ? '✓' : '✗')
