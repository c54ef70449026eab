import type pg from 'pg'
import type { SafetyReport } from '~contract/report'
import type { TargetConfig } from '../config/schema'
import { getDeploy } from '../deploys/record'
import { gatherEvidence } from './evidence'
import { renderReport, reportVerdict } from './markdown'

/** The safety report of a target as of now. */
export async function safetyReport(consoleDb: pg.Pool, target: TargetConfig, generatedBy: string, deployId?: number): Promise<SafetyReport> {
  // Read first: a deploy that does not exist is a 404, not a report with a hole in it.
  const deploy = deployId === undefined ? undefined : await getDeploy(consoleDb, target, deployId)
  const evidence = await gatherEvidence(consoleDb, target, generatedBy, deploy)
  return { target: target.id, generatedAt: evidence.generatedAt, verdict: reportVerdict(evidence), markdown: renderReport(evidence) }
}

/** `safety-report-production-20261201-2050.md` */
export const reportFileName = (r: SafetyReport, deployId?: number): string =>
  `safety-report-${r.target}${deployId ? `-deploy-${deployId}` : ''}-${r.generatedAt.slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}.md`
