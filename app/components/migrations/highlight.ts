import hljs from 'highlight.js/lib/core'
import javascript from 'highlight.js/lib/languages/javascript'
import pgsql from 'highlight.js/lib/languages/pgsql'
import typescript from 'highlight.js/lib/languages/typescript'
import type { MigrationDetail } from '~contract/migrations'

hljs.registerLanguage('pgsql', pgsql)
hljs.registerLanguage('javascript', javascript)
hljs.registerLanguage('typescript', typescript)

const GRAMMAR = { sql: 'pgsql', javascript: 'javascript', typescript: 'typescript' } as const

/**
 * The source highlighted as a whole, then cut into lines, so a template literal or comment spanning
 * lines keeps its colour on each; spans still open at a line's end are closed and reopened on the next.
 */
export function highlightLines(source: string, language: NonNullable<MigrationDetail['language']>): string[] {
  const html = hljs.highlight(source.replace(/\r\n/g, '\n').replace(/\n$/, ''), { language: GRAMMAR[language], ignoreIllegals: true }).value
  const lines: string[] = []
  const open: string[] = []
  let line = ''
  let blank = true
  // An empty line still takes a line's height.
  const end = () => lines.push(line + (blank ? '&nbsp;' : '') + '</span>'.repeat(open.length))
  for (const part of html.split(/(<span[^>]*>|<\/span>|\n)/)) {
    if (part === '\n') {
      end()
      line = open.join('')
      blank = true
    } else {
      if (part.startsWith('<span')) open.push(part)
      else if (part === '</span>') open.pop()
      else if (part !== '') blank = false
      line += part
    }
  }
  end()
  return lines
}
