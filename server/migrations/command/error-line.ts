// Lines a failing Node program or package manager prints after the reason: stack frames, the Node version
// banner, pnpm's and npm's "command failed" trailers. The reason is the line before them.
const TRAILER = /^\s*at\s|^Node\.js v\d|ELIFECYCLE|ERR_PNPM_|^npm (ERR!|error) /
const MENTIONS_FAILURE = /error|fail/i

/**
 * The line that says why a command failed: the last stderr line that is not a trailer (else the last stderr
 * line), or, for a program that writes nothing to stderr, the last stdout line mentioning an error or failure.
 */
export function errorLineTracker() {
  let stderrReason: string | null = null
  let stderrLast: string | null = null
  let stdoutFailure: string | null = null
  return {
    see(stream: 'stdout' | 'stderr', text: string) {
      if (!text.trim()) return
      if (stream === 'stdout') {
        if (MENTIONS_FAILURE.test(text)) stdoutFailure = text
        return
      }
      stderrLast = text
      if (!TRAILER.test(text)) stderrReason = text
    },
    get line(): string | null {
      return stderrReason ?? stderrLast ?? stdoutFailure
    },
  }
}
