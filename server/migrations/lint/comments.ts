/**
 * Byte ranges of the SQL comments in text that PostgreSQL has parsed, found the way its lexer
 * (scan.l) finds them: not inside strings, quoted identifiers or dollar quotes; block comments
 * nest. The library's scanner gives the same ranges but costs three times the parse, because it
 * builds and decodes every token as JSON; this reads the bytes once.
 */
export function commentRanges(bytes: Buffer): { start: number, end: number }[] {
  const ranges: { start: number, end: number }[] = []
  const n = bytes.length
  let i = 0
  while (i < n) {
    const c = bytes[i]
    if (c === DASH && bytes[i + 1] === DASH) {
      const start = i
      while (i < n && bytes[i] !== LF && bytes[i] !== CR) i++
      ranges.push({ start, end: i })
    } else if (c === SLASH && bytes[i + 1] === STAR) {
      const start = i
      i = blockCommentEnd(bytes, i)
      ranges.push({ start, end: i })
    } else if (c === QUOTE) {
      // E'…' takes backslash escapes; the E must start its token, or it ends an identifier.
      const escapes = (bytes[i - 1] === 0x45 || bytes[i - 1] === 0x65) && !isIdentByte(bytes[i - 2])
      i = quotedEnd(bytes, i, QUOTE, escapes)
    } else if (c === DOUBLE_QUOTE) {
      i = quotedEnd(bytes, i, DOUBLE_QUOTE, false)
    } else if (c === DOLLAR && !isIdentByte(bytes[i - 1])) {
      i = dollarQuotedEnd(bytes, i)
    } else {
      i++
      // Most bytes start nothing: skip them without the checks above.
      while (i < n && !STARTS[bytes[i]]) i++
    }
  }
  return ranges
}

/** True for the bytes PostgreSQL skips between tokens. */
export function isSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)
}

const DASH = 0x2d
const SLASH = 0x2f
const STAR = 0x2a
const QUOTE = 0x27
const DOUBLE_QUOTE = 0x22
const DOLLAR = 0x24
const BACKSLASH = 0x5c
const LF = 0x0a
const CR = 0x0d
// Bytes that may open a comment, a string, a quoted name or a dollar quote.
const STARTS = new Uint8Array(256)
for (const byte of [DASH, SLASH, QUOTE, DOUBLE_QUOTE, DOLLAR]) STARTS[byte] = 1

function blockCommentEnd(bytes: Uint8Array, from: number): number {
  let depth = 0
  let i = from
  while (i < bytes.length) {
    if (bytes[i] === SLASH && bytes[i + 1] === STAR) {
      depth++
      i += 2
    } else if (bytes[i] === STAR && bytes[i + 1] === SLASH) {
      depth--
      i += 2
      if (depth === 0) return i
    } else i++
  }
  return i
}

/** Past the closing quote; a doubled quote is part of the text. */
function quotedEnd(bytes: Uint8Array, from: number, quote: number, escapes: boolean): number {
  let i = from + 1
  while (i < bytes.length) {
    if (escapes && bytes[i] === BACKSLASH) i += 2
    else if (bytes[i] !== quote) i++
    else if (bytes[i + 1] === quote) i += 2
    else return i + 1
  }
  return i
}

/** Past `$tag$…$tag$`; a `$` that opens no tag (`$1`) is one byte. */
function dollarQuotedEnd(bytes: Buffer, from: number): number {
  let i = from + 1
  if (i < bytes.length && isIdentStart(bytes[i])) {
    while (i < bytes.length && isIdentByte(bytes[i]) && bytes[i] !== DOLLAR) i++
  }
  if (bytes[i] !== DOLLAR) return from + 1
  const tag = bytes.subarray(from, i + 1)
  const close = bytes.indexOf(tag, i + 1)
  return close === -1 ? bytes.length : close + tag.length
}

function isIdentStart(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x5f || byte >= 0x80
}

// Letters, digits, `_`, `$` and any non-ASCII byte continue an identifier (or a number, or `$1`).
function isIdentByte(byte: number | undefined): boolean {
  return byte !== undefined && (isIdentStart(byte) || (byte >= 0x30 && byte <= 0x39) || byte === DOLLAR)
}
