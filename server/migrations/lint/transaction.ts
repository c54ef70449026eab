import type { Node } from 'libpg-query'
import { hasOption } from './ast'

/**
 * Why PostgreSQL refuses to run this statement inside a transaction block, or null when it can.
 * A runner executes such a statement alone, outside the migration's transaction.
 */
export function nonTransactionalReason(stmt: Node, serverVersionNum?: number): string | null {
  if ('IndexStmt' in stmt && stmt.IndexStmt.concurrent) return 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block'
  if ('DropStmt' in stmt && stmt.DropStmt.concurrent) return 'DROP INDEX CONCURRENTLY cannot run inside a transaction block'
  if ('ReindexStmt' in stmt) {
    const r = stmt.ReindexStmt
    if (hasOption(r.params, 'concurrently')) return 'REINDEX CONCURRENTLY cannot run inside a transaction block'
    if (r.kind === 'REINDEX_OBJECT_DATABASE' || r.kind === 'REINDEX_OBJECT_SYSTEM') return 'REINDEX DATABASE/SYSTEM cannot run inside a transaction block'
  }
  // ANALYZE alone parses to the same node but may run in a transaction.
  if ('VacuumStmt' in stmt && stmt.VacuumStmt.is_vacuumcmd) return 'VACUUM cannot run inside a transaction block'
  if ('CreatedbStmt' in stmt) return 'CREATE DATABASE cannot run inside a transaction block'
  if ('DropdbStmt' in stmt) return 'DROP DATABASE cannot run inside a transaction block'
  if ('AlterSystemStmt' in stmt) return 'ALTER SYSTEM cannot run inside a transaction block'
  if ('CreateTableSpaceStmt' in stmt) return 'CREATE TABLESPACE cannot run inside a transaction block'
  if ('DropTableSpaceStmt' in stmt) return 'DROP TABLESPACE cannot run inside a transaction block'
  if ('AlterEnumStmt' in stmt && stmt.AlterEnumStmt.newVal && serverVersionNum !== undefined && serverVersionNum < 120000) {
    return 'ALTER TYPE … ADD VALUE cannot run inside a transaction block before PostgreSQL 12'
  }
  return null
}

export function needsOwnTransaction(stmt: Node, serverVersionNum?: number): boolean {
  return nonTransactionalReason(stmt, serverVersionNum) !== null
}
