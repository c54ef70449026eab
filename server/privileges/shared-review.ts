import type { H3Event } from 'h3'
import type { PrivilegeReview } from '~contract/privileges'
import type { TargetConfig } from '../config/schema'
import { targetPool } from '../database/target-pool'
import type { EnvFile } from '../envfile/read'
import { sharedAnswer, sharedRead, type SharedAnswer } from '../targets/shared-read'
import { privilegeReview } from './review'

/**
 * One analysis per target and reviewed role at a time, reused while fresh by every reader: the privileges
 * page's summary, its matrix pages, chains and export, and the overview. On a catalog of tens of thousands
 * of tables the analysis is the expensive part; a page of the matrix then costs a filter over memory.
 * With an event, the answer's time also goes out in `X-Computed-At`.
 */
export function sharedPrivilegeReview(target: TargetConfig, env: EnvFile, role: string, event?: H3Event): Promise<SharedAnswer<PrivilegeReview | null>> {
  const compute = () => privilegeReview(targetPool(target, env), role)
  return event ? sharedAnswer(event, target.id, 'privileges', [role], compute) : sharedRead(target.id, 'privileges', [role], compute)
}
