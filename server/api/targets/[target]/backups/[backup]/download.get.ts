import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { createError, defineEventHandler, getRouterParam, setResponseHeaders } from 'h3'
import { resolveBackup } from '~server/backups/paths'
import { guarded } from '~server/http/guard'
import { requireTarget } from '~server/http/target'

// The id only ever resolves to a regular file directly inside backupsDir: no traversal, symlink or absolute path.
// The stream is returned, not awaited, so the audit entry is written before the file is sent.
export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const id = getRouterParam(event, 'backup', { decode: true }) ?? ''
  return guarded(event, {
    action: 'backups.download', role: 'operator', target,
    handle: async () => {
      const path = await resolveBackup(target, id)
      if (!path) throw createError({ statusCode: 404, message: `No backup "${id}" in ${target.label}` })
      const info = await stat(path)
      if (info.isDirectory()) throw createError({ statusCode: 409, message: 'This is a directory-format dump: copy the directory on the host, or restore it there with pg_restore' })
      setResponseHeaders(event, {
        'content-type': 'application/octet-stream',
        'content-length': info.size,
        'content-disposition': `attachment; filename="${basename(path)}"`,
      })
      return createReadStream(path)
    },
    params: () => ({ backup: id }),
  })
})
