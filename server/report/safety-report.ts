import type pg from 'pg'
import type { SafetyReport } from '~contract/report'
import type { TargetConfig } from '../config/schema'
import { gatherEvidence } from './evidence'
import { renderReport, reportVerdict } from './markdown'

/** The safety report of a target as of now. */
export async function safetyReport(consoleDb: pg.Pool, target: TargetConfig, generatedBy: string): Promise<SafetyReport> {
  const evidence = await gatherEvidence(consoleDb, target, generatedBy)
  return { target: target.id, generatedAt: evidence.generatedAt, verdict: reportVerdict(evidence), markdown: renderReport(evidence) }
}

/** `safety-report-production-20261201-2050.md` */
export const reportFileName = (r: SafetyReport): string =>
  `safety-report-${r.target}-${r.generatedAt.slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}.md`
