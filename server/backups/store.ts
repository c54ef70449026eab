import type pg from 'pg'
import type { BackupVerification } from '~contract/backups'

/** A file's identity for caching: what it was when it was looked at. */
export interface Fingerprint { path: string, sizeBytes: number, mtimeMs: number }

export interface StoredCheck extends Fingerprint {
  manifestMtimeMs: number | null
  ok: boolean
  problem: string | null
  sha256: string | null
}

export interface StoredVerification extends Fingerprint { ok: boolean, problem: string | null, verifiedAt: Date }

export async function loadChecks(db: pg.Pool, paths: string[]): Promise<Map<string, StoredCheck>> {
  const { rows } = await db.query<StoredCheck>(
    `SELECT path, size_bytes::float8 AS "sizeBytes", mtime_ms AS "mtimeMs", manifest_mtime_ms AS "manifestMtimeMs", ok, problem, sha256
     FROM backup_checks WHERE path = ANY($1)`, [paths])
  return new Map(rows.map((r) => [r.path, r]))
}

export async function saveCheck(db: pg.Pool, target: string, c: StoredCheck): Promise<void> {
  await db.query(
    `INSERT INTO backup_checks (path, target, size_bytes, mtime_ms, manifest_mtime_ms, ok, problem, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (path) DO UPDATE SET target = $2, size_bytes = $3, mtime_ms = $4, manifest_mtime_ms = $5, ok = $6, problem = $7, sha256 = $8, checked_at = now()`,
    [c.path, target, c.sizeBytes, c.mtimeMs, c.manifestMtimeMs, c.ok, c.problem, c.sha256])
}

export async function loadVerifications(db: pg.Pool, paths: string[]): Promise<Map<string, StoredVerification>> {
  const { rows } = await db.query<StoredVerification>(
    `SELECT path, size_bytes::float8 AS "sizeBytes", mtime_ms AS "mtimeMs", ok, problem, verified_at AS "verifiedAt"
     FROM backup_verifications WHERE path = ANY($1)`, [paths])
  return new Map(rows.map((r) => [r.path, r]))
}

export async function saveVerification(db: pg.Pool, target: string, file: Fingerprint, result: BackupVerification, who: string | null): Promise<void> {
  await db.query(
    `INSERT INTO backup_verifications (path, target, size_bytes, mtime_ms, ok, problem, result, verified_by, verified_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (path) DO UPDATE SET target = $2, size_bytes = $3, mtime_ms = $4, ok = $5, problem = $6, result = $7, verified_by = $8, verified_at = $9`,
    [file.path, target, file.sizeBytes, file.mtimeMs, result.ok, result.problem ?? null, JSON.stringify(result), who, result.verifiedAt])
}

/** The latest recorded restore test of a file, whatever it was at the time. */
export async function lastVerification(db: pg.Pool, path: string): Promise<BackupVerification | null> {
  const { rows } = await db.query<{ result: BackupVerification }>('SELECT result FROM backup_verifications WHERE path = $1', [path])
  return rows[0]?.result ?? null
}

export async function forgetPaths(db: pg.Pool, paths: string[]): Promise<void> {
  if (!paths.length) return
  await db.query('DELETE FROM backup_checks WHERE path = ANY($1)', [paths])
  await db.query('DELETE FROM backup_verifications WHERE path = ANY($1)', [paths])
}

/** Why this very file (same size and mtime) already read back corrupt, by its integrity check or an earlier restore test; null if it did not. */
export async function knownProblem(db: pg.Pool, file: Fingerprint): Promise<string | null> {
  const [checks, verifications] = await Promise.all([loadChecks(db, [file.path]), loadVerifications(db, [file.path])])
  const check = checks.get(file.path)
  const test = verifications.get(file.path)
  if (check && sameFile(check, file) && !check.ok) return check.problem ?? 'failed its integrity check'
  if (test && sameFile(test, file) && !test.ok) return `restore test failed: ${test.problem ?? 'unknown reason'}`
  return null
}

export function sameFile(a: Fingerprint, b: Fingerprint): boolean {
  return a.sizeBytes === b.sizeBytes && a.mtimeMs === b.mtimeMs
}
