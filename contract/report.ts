// The safety report: the seed document's claims regenerated from live evidence, as one Markdown text.

export type ReportVerdict = 'ready' | 'not-ready' | 'unknown'

/** GET /api/targets/:target/report (JSON). `?format=markdown` answers the same text as a download. */
export interface SafetyReport {
  target: string
  generatedAt: string
  verdict: ReportVerdict
  /** The report; every claim in it carries the time it was observed. */
  markdown: string
}
