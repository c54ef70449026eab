import type { ColumnDef, Node, RangeVar, TypeName } from 'libpg-query'
import { alterCmds, defElems, dottedName, dropObjectNames, relationName, SERIAL_TYPES } from './ast'

/** A column an earlier statement of the file declared, and the type it gave it. */
export interface FileColumn {
  type: TypeName
  /** Line of the statement that last set the type. */
  line: number
  /** Created by this file (CREATE TABLE, ADD COLUMN): it holds no data the file did not put there. */
  isNew: boolean
}

/**
 * What the earlier statements of a file created: tables, indexes, sequences (including those of
 * serial and identity columns) and columns. Nobody else reads them yet and they hold no older data.
 */
export class FileObjects {
  // Names as written, by their last part: a lookup per statement stays constant-time in long files.
  private relations = new Map<string, string[]>()
  private columns = new Map<string, FileColumn>()
  // Created with IF NOT EXISTS: the statement may have found an older one, with its data.
  private maybeOlder = new Set<string>()

  /** True when an earlier statement created the relation (and none dropped or replaced it since). */
  created(name: string): boolean {
    return (this.relations.get(bare(name)) ?? []).some((c) => sameRelation(c, name))
  }

  /** Created by an earlier statement that could not have found an older one (no IF NOT EXISTS). */
  surelyCreated(name: string): boolean {
    return this.created(name) && !this.maybeOlder.has(bare(name))
  }

  column(table: string, column: string): FileColumn | undefined {
    return this.columns.get(columnKey(table, column))
  }

  record(node: Node, line: number): void {
    const ifNotExists = createsIfNotExists(node)
    if (ifNotExists !== null) {
      const name = createdName(node)
      if (name && ifNotExists) this.maybeOlder.add(bare(name))
      else if (name) this.maybeOlder.delete(bare(name))
    }
    if ('CreateStmt' in node) {
      const table = relationName(node.CreateStmt.relation)
      this.add(table)
      // IF NOT EXISTS may have kept an older table: its columns are not the ones written here.
      if (!ifNotExists) for (const e of node.CreateStmt.tableElts ?? []) if ('ColumnDef' in e) this.addColumn(node.CreateStmt.relation, e.ColumnDef, line)
    } else if ('CreateTableAsStmt' in node) this.add(relationName(node.CreateTableAsStmt.into?.rel))
    else if ('CreateSeqStmt' in node) this.add(relationName(node.CreateSeqStmt.sequence))
    else if ('ViewStmt' in node) this.add(relationName(node.ViewStmt.view))
    else if ('IndexStmt' in node && node.IndexStmt.idxname) {
      const schema = node.IndexStmt.relation?.schemaname
      this.add(schema ? `${schema}.${node.IndexStmt.idxname}` : node.IndexStmt.idxname)
    } else if ('AlterTableStmt' in node) this.alterTable(node.AlterTableStmt.relation, alterCmds(node.AlterTableStmt), line)
    else if ('DropStmt' in node) for (const name of dropObjectNames(node.DropStmt.objects)) this.forget(name)
    else if ('RenameStmt' in node && node.RenameStmt.relation && node.RenameStmt.newname) this.rename(node.RenameStmt.relation, node.RenameStmt.subname, node.RenameStmt.newname)
  }

  private alterTable(relation: RangeVar | undefined, cmds: ReturnType<typeof alterCmds>, line: number): void {
    const table = relationName(relation)
    for (const cmd of cmds) {
      const def = cmd.def && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : undefined
      if (cmd.subtype === 'AT_AddColumn' && def) this.addColumn(relation, def, line)
      else if (cmd.subtype === 'AT_AlterColumnType' && def?.typeName && cmd.name) {
        const known = this.column(table, cmd.name)
        this.columns.set(columnKey(table, cmd.name), { type: def.typeName, line, isNew: known?.isNew ?? false })
      } else if (cmd.subtype === 'AT_DropColumn' && cmd.name) this.columns.delete(columnKey(table, cmd.name))
      else if (cmd.subtype === 'AT_AddIdentity' && cmd.name) this.add(ownedSequence(relation, cmd.name, def))
    }
  }

  private addColumn(relation: RangeVar | undefined, def: ColumnDef, line: number): void {
    if (!def.colname || !def.typeName) return
    this.columns.set(columnKey(relationName(relation), def.colname), { type: def.typeName, line, isNew: true })
    if (ownsSequence(def)) this.add(ownedSequence(relation, def.colname, def))
  }

  private add(name: string): void {
    this.relations.set(bare(name), [...(this.relations.get(bare(name)) ?? []), name])
  }

  private forget(name: string): void {
    this.relations.set(bare(name), (this.relations.get(bare(name)) ?? []).filter((c) => !sameRelation(c, name)))
  }

  // A renamed relation keeps being new; an older relation renamed to a name the file created is not.
  private rename(relation: RangeVar, column: string | undefined, to: string): void {
    const table = relationName(relation)
    if (column) {
      const known = this.column(table, column)
      this.columns.delete(columnKey(table, column))
      if (known) this.columns.set(columnKey(table, to), known)
      return
    }
    const wasNew = this.created(table)
    const renamed = relation.schemaname ? `${relation.schemaname}.${to}` : to
    this.forget(table)
    this.forget(renamed)
    if (wasNew) this.add(renamed)
  }
}

// "events" and "public.events" are taken as the same relation: the file cannot tell which schema
// an unqualified name resolves to, and erring this way only spares a warning.
function sameRelation(a: string, b: string): boolean {
  if (a === b) return true
  return bare(a) === bare(b) && (!a.includes('.') || !b.includes('.'))
}

function bare(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1)
}

function columnKey(table: string, column: string): string {
  return `${bare(table)}.${column}`
}

function ownsSequence(def: ColumnDef): boolean {
  if (SERIAL_TYPES.has(dottedName(def.typeName?.names).toLowerCase())) return true
  return (def.constraints ?? []).some((c) => 'Constraint' in c && c.Constraint.contype === 'CONSTR_IDENTITY')
}

// PostgreSQL names the sequence table_column_seq unless an identity column says SEQUENCE NAME.
function ownedSequence(relation: RangeVar | undefined, column: string, def: ColumnDef | undefined): string {
  const identity = (def?.constraints ?? []).flatMap((c) => ('Constraint' in c && c.Constraint.contype === 'CONSTR_IDENTITY' ? defElems(c.Constraint.options) : []))
  const named = identity.find((d) => d.defname === 'sequence_name')
  if (named?.arg && 'List' in named.arg) return dottedName(named.arg.List.items)
  const name = `${relation?.relname ?? '?'}_${column}_seq`
  return relation?.schemaname ? `${relation.schemaname}.${name}` : name
}

/** For a CREATE of a table, sequence or index: whether it says IF NOT EXISTS; null for other statements. */
function createsIfNotExists(node: Node): boolean | null {
  if ('CreateStmt' in node) return node.CreateStmt.if_not_exists ?? false
  if ('CreateTableAsStmt' in node) return node.CreateTableAsStmt.if_not_exists ?? false
  if ('CreateSeqStmt' in node) return node.CreateSeqStmt.if_not_exists ?? false
  if ('IndexStmt' in node) return node.IndexStmt.if_not_exists ?? false
  return null
}

function createdName(node: Node): string | null {
  if ('CreateStmt' in node) return relationName(node.CreateStmt.relation)
  if ('CreateTableAsStmt' in node) return relationName(node.CreateTableAsStmt.into?.rel)
  if ('CreateSeqStmt' in node) return relationName(node.CreateSeqStmt.sequence)
  if ('IndexStmt' in node) return node.IndexStmt.idxname ?? null
  return null
}
