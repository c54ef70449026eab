// Which literal texts are SQL at all: decided by their first word, before any parse.

const STATEMENT_KEYWORDS = new Set([
  'alter', 'analyze', 'analyse', 'begin', 'call', 'checkpoint', 'cluster', 'comment', 'commit', 'copy', 'create', 'deallocate', 'delete',
  'discard', 'do', 'drop', 'explain', 'grant', 'insert', 'listen', 'lock', 'merge', 'notify', 'prepare', 'reassign',
  'refresh', 'reindex', 'release', 'reset', 'revoke', 'rollback', 'savepoint', 'select', 'set', 'start', 'truncate',
  'unlisten', 'update', 'vacuum', 'with',
])

/**
 * True when the text starts, after blanks and SQL comments, with a statement keyword written as
 * SQL is written (`DROP` or `drop`): "Drop legacy column" is prose, and an id like `drop_users`
 * is one word.
 */
export function startsLikeSql(text: string): boolean {
  const word = firstWord(text)
  return word !== '' && (word === word.toUpperCase() || word === word.toLowerCase()) && STATEMENT_KEYWORDS.has(word.toLowerCase())
}

/** The first word of the text, or '' when it does not start with a plain word. */
export function firstWord(text: string): string {
  let i = 0
  while (i < text.length) {
    if (/\s/.test(text[i])) i++
    else if (text.startsWith('--', i)) i = lineEnd(text, i)
    else if (text.startsWith('/*', i)) i = text.includes('*/', i + 2) ? text.indexOf('*/', i + 2) + 2 : text.length
    else break
  }
  const match = /^[A-Za-z]+(?![\w$])/.exec(text.slice(i, i + 40))
  return match?.[0] ?? ''
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from)
  return end === -1 ? text.length : end + 1
}
