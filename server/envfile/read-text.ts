import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'

/** Config files (units, ecosystem files) are small; anything bigger is not one, and is not read whole into memory. */
export const MAX_CONFIG_BYTES = 1 << 20

export type TextRead = { text: string } | { missing: true } | { problem: string }

/**
 * Reads a small text file through symlinks. Non-blocking open and a regular-file check, so a FIFO or a
 * device under the configured path cannot hang or flood the console.
 */
export function readConfigText(path: string, maxBytes = MAX_CONFIG_BYTES): TextRead {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true }
    return { problem: code === 'EACCES' ? 'permission denied' : code === 'ELOOP' ? 'a symlink loop' : (err as Error).message }
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) return { problem: 'not a regular file' }
    if (st.size > maxBytes) return { problem: `${st.size} bytes, more than the ${maxBytes} a config file may have` }
    const buf = Buffer.alloc(st.size)
    const n = readSync(fd, buf, 0, st.size, 0)
    return { text: buf.toString('utf8', 0, n) }
  } finally {
    closeSync(fd)
  }
}
