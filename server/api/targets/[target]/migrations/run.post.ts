import { defineEventHandler, setResponseStatus } from 'h3'
import { migrationRunSchema } from '~contract/migrations'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'
import { newestUsableBackupAt } from '~server/migrations/backup-freshness'
import { startMigrationRun } from '~server/migrations/start-run'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return guarded(event, {
    // Up to 500 acknowledged findings and an override reason: more than the default few KB.
    action: 'migrations.run', role: 'admin', target, body: migrationRunSchema, bodyLimit: 128 * 1024,
    handle: async ({ user, body }) => {
      const { db } = await useConsole()
      const result = await startMigrationRun(db, target, user.username, body, () => newestUsableBackupAt(db, target))
      if ('refusal' in result) throw result.refusal
      setResponseStatus(event, 202)
      return { jobId: result.jobId }
    },
    // Only once the body is read: a secret-looking key is recorded as "[redacted]" even when it has no value.
    params: ({ body }, result) => body && {
      upTo: body.upTo, acknowledge: body.acknowledge, overrideReason: body.override?.reason, idempotencyKey: body.idempotencyKey, jobId: result?.jobId,
    },
  })
})
