import { Lexer, type Tokens } from 'marked'
import { describe, expect, it } from 'vitest'
import { block, code, table, text } from '~server/report/markdown-text'

const first = <T>(md: string): T => new Lexer({ gfm: true }).lex(md)[0] as unknown as T

describe('report Markdown text', () => {
  it('keeps a hostile value to one table cell, read back as written', () => {
    const value = 'a | b `c` *d* [e](javascript:x) <b>f</b>\nnext'
    const t = first<Tokens.Table>(table(['Name', 'Value'], [[text(value), code(value)]]))
    expect(t.type).toBe('table')
    expect(t.rows).toHaveLength(1)
    expect(t.rows[0]).toHaveLength(2)
    expect(t.rows[0][0].tokens.map((x) => x.type)).not.toContain('link')
    expect(t.rows[0][0].tokens.map((x) => x.type)).not.toContain('html')
    const [span] = t.rows[0][1].tokens as [Tokens.Codespan]
    expect(span.type).toBe('codespan')
  })

  it('fences code that itself contains backtick fences', () => {
    const sql = 'SELECT 1;\n```\nDROP TABLE users;\n````'
    const t = first<Tokens.Code>(block(sql, 'sql'))
    expect(t.type).toBe('code')
    expect(t.text).toBe(sql)
  })

  it('reads a word with underscores as it is, and a leading list marker as text', () => {
    const p = first<Tokens.Paragraph>(text('- crearis_admin owns *2* tables'))
    expect(p.type).toBe('paragraph')
    expect(p.text.replace(/\\/g, '')).toBe('- crearis_admin owns *2* tables')
    expect(p.tokens!.map((x) => x.type)).not.toContain('em')
  })
})
