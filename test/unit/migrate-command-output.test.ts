import { describe, expect, it } from 'vitest'
import { lineSplitter } from '~server/migrations/command/lines'
import { redactor } from '~server/migrations/command/redact'

function split(chunks: Buffer[], cutAt = 1000): [string, boolean][] {
  const lines: [string, boolean][] = []
  const splitter = lineSplitter(cutAt, (text, cut) => lines.push([text, cut]))
  for (const chunk of chunks) splitter.write(chunk)
  splitter.end()
  return lines
}

describe('splitting command output into lines', () => {
  const output = Buffer.from('Running 004…\r\n10%\r55%\r100%\r\n\nété € ✓\nno newline')
  const expected = ['Running 004…', '10%', '55%', '100%', 'été € ✓', 'no newline']

  it('gives the same lines wherever the stream is cut into chunks (\\r\\n, multi-byte characters)', () => {
    for (let at = 1; at < output.length; at++) {
      expect(split([output.subarray(0, at), output.subarray(at)]).map(([t]) => t), `cut at byte ${at}`).toEqual(expected)
    }
    expect(split([...output].map((b) => Buffer.from([b]))).map(([t]) => t)).toEqual(expected)
  })

  it('replaces invalid UTF-8 instead of failing', () => {
    expect(split([Buffer.from([0x6f, 0x6b, 0xff, 0xfe, 0x0a, 0xc3])])).toEqual([['ok\uFFFD\uFFFD', false], ['\uFFFD', false]])
  })

  it('hands on a line without end once it is long, drops its rest, and goes on with the next line', () => {
    const lines = split([Buffer.from('a'.repeat(15)), Buffer.from('b'.repeat(30)), Buffer.from('c\r'), Buffer.from('next\n')], 10)
    expect(lines).toHaveLength(2)
    expect(lines[0][0]).toMatch(/^a{10}/)
    expect(lines[0][1]).toBe(true)
    expect(lines[1]).toEqual(['next', false])
  })
})

describe('redacting command output', () => {
  it('masks every secret, the longest first, with regex characters taken literally', () => {
    const redact = redactor(['pa.ss(1)', 'pa.ss(1)-extended', 'abc', ''])
    expect(redact('login pa.ss(1)-extended then pa.ss(1); not paXss(1); abc stays'))
      .toBe('login *** then ***; not paXss(1); abc stays')
  })

  it('masks the password of a connection URL even when it is not a known secret', () => {
    const redact = redactor([])
    expect(redact('connect postgres://app:s3cret@db:5432/app failed')).toBe('connect postgres://app:***@db:5432/app failed')
    expect(redact('postgresql://u:p@ss@h/db and mail a@b')).toBe('postgresql://u:***@h/db and mail a@b')
    expect(redact('postgres://app@db:5432/app at 12:30')).toBe('postgres://app@db:5432/app at 12:30')
  })
})
