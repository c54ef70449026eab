import { createError } from 'h3'
import { BackupBusyError } from '../backups/lock'
import { BackupsDirMissingError } from '../backups/paths'
import type { TargetConfig } from '../config/schema'
import { targetCall } from './target-call'

/** Backup domain errors as HTTP: a running backup is 409, a missing backups dir a 409 that says so. */
export function backupsCall<T>(target: TargetConfig, fn: () => Promise<T>): Promise<T> {
  return targetCall(target, fn).catch((err) => {
    if (err instanceof BackupBusyError) throw createError({ statusCode: 409, message: err.message })
    if (err instanceof BackupsDirMissingError) throw createError({ statusCode: 409, message: err.message })
    throw err
  })
}
