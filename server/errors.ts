// The failures a caller can act on. Domain code throws them knowing nothing of HTTP;
// server/http/errors.ts is the one place that gives each kind its status.

export interface FieldIssue { field: string, message: string }

export interface ErrorDetails {
  /** A stable name for the case, for scripts and the SPA (`no-fresh-backup`). */
  code?: string
  data?: Record<string, unknown>
}

// No `cause`: h3 would put the cause, not this error, in front of the error handler.
export abstract class DomainError extends Error {
  readonly code?: string
  readonly data?: Record<string, unknown>

  constructor(message: string, details: ErrorDetails = {}) {
    super(message)
    this.code = details.code
    this.data = details.data
  }
}

/** What was asked for does not exist. */
export class NotFoundError extends DomainError {}

/** The same work is already running on the target; try again when it has finished. */
export class BusyError extends DomainError {
  /** The job doing that work, once the console has found it: the refusal names it (`data.jobId`) so the caller can follow it. */
  jobId?: number
}

/** The state, or a rule, forbids what was asked: a conflict (409) unless said otherwise. */
export class RefusedError extends DomainError {
  readonly status: 400 | 409 | 412

  constructor(message: string, details: ErrorDetails & { status?: 400 | 409 | 412 } = {}) {
    super(message, details)
    this.status = details.status ?? 409
  }
}

/** The target database cannot be reached right now; the message is the reason. */
export class UnreachableError extends DomainError {}

/** Input that breaks its schema; each issue names its field. */
export class InvalidError extends DomainError {
  constructor(message: string, issues?: FieldIssue[]) {
    super(message, issues ? { data: { issues } } : {})
  }
}
