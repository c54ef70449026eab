import type { Node } from 'libpg-query'
import type { Rule } from '../rule'
import { alterCmds, defElems, funcName, hasOption, relationName } from '../ast'

const CONSEQUENCE = 'new ids can collide with existing rows (duplicate key errors) or jump'

// A sequence created earlier in the file (or with a table or column it created) has handed out no id yet.
export const sequenceRestart: Rule = {
  id: 'sequence-restart',
  severity: 'destructive',
  summary: 'Resetting a sequence (RESTART, setval) can hand out ids already in use',
  visit: {
    AlterSeqStmt: (node, ctx) => {
      const name = relationName(node.sequence)
      if (hasOption(node.options, 'restart') && !ctx.createdInFile(name)) ctx.report(`ALTER SEQUENCE ${name} RESTART resets the sequence: ${CONSEQUENCE}.`)
    },
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (ctx.createdInFile(table)) return
      for (const cmd of alterCmds(node)) {
        const options = cmd.def && 'List' in cmd.def ? cmd.def.List.items : undefined
        if (cmd.subtype === 'AT_SetIdentity' && defElems(options).some((d) => d.defname === 'restart')) {
          ctx.report(`ALTER COLUMN ${cmd.name} RESTART resets the identity sequence of ${table}: ${CONSEQUENCE}.`)
        }
      }
    },
    FuncCall: (node, ctx) => {
      if (funcName(node.funcname) !== 'setval') return
      const sequence = sequenceName(node.args?.[0])
      if (sequence && ctx.createdInFile(sequence)) return
      ctx.report(`setval() sets a sequence's position: ${CONSEQUENCE}.`)
    },
  },
}

/**
 * The sequence a setval() argument names when the statement says it: 'name', 'name'::regclass or
 * pg_get_serial_sequence('table', 'column') (taken as PostgreSQL's default table_column_seq).
 */
function sequenceName(arg: Node | undefined): string | null {
  if (!arg) return null
  if ('TypeCast' in arg) return sequenceName(arg.TypeCast.arg)
  if ('A_Const' in arg) return regclassName(arg.A_Const.sval?.sval)
  if ('FuncCall' in arg && funcName(arg.FuncCall.funcname) === 'pg_get_serial_sequence') {
    const [table, column] = (arg.FuncCall.args ?? []).map((a) => ('A_Const' in a ? a.A_Const.sval?.sval : undefined))
    const name = regclassName(table)
    return name && column ? `${name}_${column}_seq` : null
  }
  return null
}

// The text form of a regclass folds unquoted names to lower case, as SQL does.
function regclassName(text: string | undefined): string | null {
  if (!text) return null
  return text.split('.').map((part) => (part.startsWith('"') ? part.slice(1, -1) : part.toLowerCase())).join('.')
}
