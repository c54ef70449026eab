import { StringDecoder } from 'node:string_decoder'

export interface LineSplitter {
  write(chunk: Buffer): void
  end(): void
}

/**
 * Splits a byte stream into lines as a terminal shows them: `\n`, `\r\n` and a lone `\r` (progress output
 * redraws its line with `\r`) each end one; invalid UTF-8 becomes U+FFFD; empty lines are skipped. A line
 * reaching `cutAt` characters is handed on at once with `cut` set, and the rest of it, up to its end, is
 * dropped, so a program printing without newlines cannot fill the console's memory.
 */
export function lineSplitter(cutAt: number, onLine: (text: string, cut: boolean) => void): LineSplitter {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  let dropping = false

  const lineEnded = (text: string) => {
    if (dropping) dropping = false
    else if (text) onLine(text, false)
  }
  const feed = (text: string, final: boolean) => {
    pending += text
    const breaks = /\r\n?|\n/g
    let start = 0
    for (let m = breaks.exec(pending); m; m = breaks.exec(pending)) {
      // A \r at the end of a chunk may be the first half of a \r\n split across chunks.
      if (m[0] === '\r' && breaks.lastIndex === pending.length && !final) break
      lineEnded(pending.slice(start, m.index))
      start = breaks.lastIndex
    }
    pending = pending.slice(start)
    if (final) {
      lineEnded(pending)
      pending = ''
    } else if (dropping || pending.length >= cutAt) {
      const held = pending.endsWith('\r') ? '\r' : ''
      if (!dropping) onLine(pending.slice(0, pending.length - held.length), true)
      dropping = true
      pending = held
    }
  }
  return {
    write: (chunk) => feed(decoder.write(chunk), false),
    end: () => feed(decoder.end(), true),
  }
}
