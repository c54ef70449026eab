// Every temp file a test run makes (fixtures, env files, configs, backups) goes under one directory
// that is removed when the run ends, so test runs leave nothing behind in /tmp.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function setup() {
  const root = mkdtempSync(join(tmpdir(), 'dbsafe-test-'))
  // Files here are read by the cluster's postgres user too (e.g. restores of test backups).
  chmodSync(root, 0o755)
  const previous = process.env.TMPDIR
  process.env.TMPDIR = root
  return () => {
    if (previous === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = previous
    rmSync(root, { recursive: true, force: true })
  }
}
