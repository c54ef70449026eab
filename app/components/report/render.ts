import { Marked, type Tokens } from 'marked'

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const SAFE_HREF = /^(https?:|mailto:|\/(?!\/)|#)/i

// The report quotes what people and files wrote: raw HTML is shown as text, links go only to http(s), mail or this
// console, and images are never fetched (a report must not call out when opened).
const marked = new Marked({
  gfm: true,
  renderer: {
    html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
    link(token: Tokens.Link) {
      const label = this.parser.parseInline(token.tokens)
      return SAFE_HREF.test(token.href) ? `<a href="${escapeHtml(token.href)}">${label}</a>` : label
    },
    image: (token: Tokens.Image) => escapeHtml(token.text),
    // A long script scrolls inside its block: the block takes focus so the keyboard can scroll it.
    code: (token: Tokens.Code) => `<pre tabindex="0"><code>${escapeHtml(token.text)}</code></pre>\n`,
  },
})

/** The report's Markdown as HTML that is safe to put in the page. */
export const renderReportHtml = (markdown: string): string => marked.parse(markdown, { async: false })
