// What a database role can really do, as computed by server/privileges: shared by the API and the SPA.

/** How a power reaches the reviewed role. */
export type SourceKind = 'owner' | 'membership' | 'grant' | 'public' | 'predefined' | 'superuser'

export interface Source {
  kind: SourceKind
  /** Role chain from the reviewed role to the role that holds the power (membership, predefined, superuser via SET ROLE). */
  via?: string[]
  /** True when the power needs `SET ROLE` first (a NOINHERIT link in the chain). */
  setRoleOnly?: boolean
  grantor?: string
}

export type TableKind = 'table' | 'partitioned table' | 'view' | 'materialized view'
export type TablePower = 'drop' | 'alter' | 'truncate' | 'delete' | 'update' | 'insert' | 'select'
export type SequencePower = 'drop' | 'reset' | 'usage' | 'select'

export interface RoleAttributes {
  superuser: boolean
  createrole: boolean
  createdb: boolean
  bypassrls: boolean
  replication: boolean
  inherit: boolean
  login: boolean
  /** -1 means no limit. */
  connectionLimit: number
  passwordExpiresAt: string | null
}

export interface Membership {
  role: string
  /** Chain from the reviewed role to this role, both included. */
  via: string[]
  /** Powers of this role flow to the reviewed role without SET ROLE. */
  inherited: boolean
  /** The reviewed role can `SET ROLE` to it. */
  setRole: boolean
  /** A built-in pg_* role. */
  predefined: boolean
}

export interface DatabasePrivileges {
  name: string
  owner: string
  /** The role owns the database or is a member of its owner (inherited or through SET ROLE). */
  ownedByRole: boolean
  canDrop: boolean
  canConnect: boolean
  canCreate: boolean
  canTemp: boolean
  /** Where the power to drop it comes from; null when it cannot. */
  source: Source | null
}

export interface SchemaPrivileges {
  name: string
  owner: string
  canDrop: boolean
  canUsage: boolean
  canCreate: boolean
  /** PUBLIC (every role) has CREATE on it. */
  createViaPublic: boolean
  /** Tables and partitioned tables in it: what DROP SCHEMA … CASCADE would remove. */
  tableCount: number
  /** Where the power to drop it comes from; null when it cannot. */
  source: Source | null
  /** Every way the role gets CREATE on it (ownership, grants, PUBLIC). */
  createSources: Source[]
}

export interface TablePrivileges {
  schema: string
  name: string
  kind: TableKind
  owner: string
  ownedByRole: boolean
  canDrop: boolean
  canAlter: boolean
  canTruncate: boolean
  canDelete: boolean
  canUpdate: boolean
  canInsert: boolean
  canSelect: boolean
  rls: { enabled: boolean, forced: boolean }
  sources: Record<TablePower, Source[]>
}

export interface SequencePrivileges {
  schema: string
  name: string
  owner: string
  ownedByRole: boolean
  canDrop: boolean
  /** setval / nextval jumps (UPDATE privilege) or ALTER SEQUENCE RESTART (ownership). */
  canReset: boolean
  canUsage: boolean
  canSelect: boolean
  /** The table column it belongs to (serial/identity), as "schema.table"; its owner follows that table. */
  linkedTo: string | null
  sources: Record<SequencePower, Source[]>
}

export type DefaultObjectType = 'tables' | 'sequences' | 'functions' | 'types' | 'schemas'

export interface DefaultPrivilege {
  /** The role whose future objects get these privileges. */
  grantor: string
  /** null: in every schema. */
  schema: string | null
  objectType: DefaultObjectType
  privileges: string[]
  /** A role name, or "PUBLIC". */
  grantee: string
  dangerous: boolean
}

export type Severity = 'destructive' | 'warning' | 'info'

export interface Finding {
  severity: Severity
  code: string
  message: string
  /** Qualified names, capped; `count` is the full number. */
  objects: string[]
  count: number
  /** This finding's statements of the remediation script, in the order they run; never run by dbsafe. */
  remediation: string
}

/** One script that fixes every finding, to review and run once as a superuser; never run by dbsafe. */
export interface Remediation {
  /** Steps in the order they must run, each opening with a comment that says what it does and why. */
  script: string
  steps: { title: string, why: string }[]
  /** What changes for the app's deploys once the script ran. */
  deploys: string[]
}

export type Verdict = 'unsafe' | 'warning' | 'safe'

export interface PrivilegeReport {
  role: string
  serverVersion: string
  serverVersionNum: number
  attributes: RoleAttributes
  memberships: Membership[]
  database: DatabasePrivileges
  /** Every non-system schema. */
  schemas: SchemaPrivileges[]
  /** Tables, views and materialized views on which the role has at least one power. */
  tables: TablePrivileges[]
  sequences: SequencePrivileges[]
  defaultPrivileges: DefaultPrivilege[]
  findings: Finding[]
  /** null when there is nothing to fix. */
  remediation: Remediation | null
  verdict: Verdict
}

export interface PrivilegeReview extends PrivilegeReport {
  /** Plain-words gaps of the seed document's check (information_schema.role_table_grants). */
  seedCheck: string[]
}

// At catalog scale the page asks for a summary first, then objects one page at a time.

/** Every power shown in the matrix; `reset` applies to sequences, the others mostly to tables. */
export const POWERS = ['drop', 'alter', 'truncate', 'delete', 'update', 'insert', 'select', 'reset'] as const
export type Power = (typeof POWERS)[number]
/** Powers that destroy data or structure; the rest are what an app is expected to hold. */
export const DANGEROUS_POWERS: readonly Power[] = ['drop', 'alter', 'truncate', 'reset']

/** What the role can do to the objects of one schema, as counts. */
export interface SchemaCounts {
  schema: string
  /** Objects listed in the matrix (tables, views, sequences on which the role has a power). */
  objects: number
  canDrop: number
  canAlter: number
  canTruncate: number
  canDelete: number
}

/** The review without its objects: small whatever the catalog's size. */
export interface PrivilegeSummary extends Omit<PrivilegeReview, 'tables' | 'sequences'> {
  /** Per schema with at least one object, by schema name. */
  counts: SchemaCounts[]
  totals: { objects: number, tables: number, sequences: number }
}

export type ObjectKind = TableKind | 'sequence'

/** One matrix row: an object and the powers the role holds on it. */
export interface PrivilegeObject {
  schema: string
  name: string
  kind: ObjectKind
  owner: string
  ownedByRole: boolean
  /** null: the power does not apply to this kind of object. */
  powers: Record<Power, boolean | null>
  dangerous: boolean
  /** The kinds of source behind its powers, for the source filter. */
  sourceKinds: SourceKind[]
}

export type ObjectSort = 'name' | 'owner' | 'kind' | 'dangerous'

export interface ObjectQuery {
  schema?: string
  kind?: ObjectKind
  /** A power the role must hold, or "dangerous" for any of DANGEROUS_POWERS. */
  power?: Power | 'dangerous'
  source?: SourceKind
  /** Case-insensitive part of "schema.name" or of the owner. */
  search?: string
  sort?: ObjectSort
  order?: 'asc' | 'desc'
  offset?: number
  limit?: number
}

export interface ObjectPage {
  /** Objects matching the filters, over every page. */
  total: number
  offset: number
  limit: number
  objects: PrivilegeObject[]
}

/** One object with the chain behind each power it holds: what the drawer shows. */
export interface ObjectChain extends PrivilegeObject {
  sources: Partial<Record<Power, Source[]>>
}
