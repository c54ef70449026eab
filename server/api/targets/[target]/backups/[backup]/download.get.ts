import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { createError, defineEventHandler, getRouterParam, sendStream, setResponseHeaders } from 'h3'
import { resolveBackup } from '../../../../../backups/paths'
import { recordAudit } from '../../../../../audit/record'
import { useConsole } from '../../../../../context'
import { requireRole } from '../../../../../http/session'
import { requireTarget } from '../../../../../http/target'

// The id only ever resolves to a regular file directly inside backupsDir: no traversal, symlink or absolute path.
export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const user = requireRole(event, 'operator')
  const id = getRouterParam(event, 'backup', { decode: true }) ?? ''
  const path = await resolveBackup(target, id)
  if (!path) throw createError({ statusCode: 404, message: `No backup "${id}" in ${target.label}` })
  const info = await stat(path)
  if (info.isDirectory()) throw createError({ statusCode: 409, message: 'This is a directory-format dump: copy the directory on the host, or restore it there with pg_restore' })
  await recordAudit((await useConsole()).db, { actor: user.username, action: 'backups.download', target: target.id, params: { backup: id }, outcome: 'ok' })
  setResponseHeaders(event, {
    'content-type': 'application/octet-stream',
    'content-length': info.size,
    'content-disposition': `attachment; filename="${basename(path)}"`,
  })
  return sendStream(event, createReadStream(path))
})
