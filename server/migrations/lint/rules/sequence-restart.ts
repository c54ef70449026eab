import type { Rule } from '../rule'
import { alterCmds, defElems, funcName, hasOption, relationName } from '../ast'

const CONSEQUENCE = 'new ids can collide with existing rows (duplicate key errors) or jump'

export const sequenceRestart: Rule = {
  id: 'sequence-restart',
  severity: 'destructive',
  summary: 'Resetting a sequence (RESTART, setval) can hand out ids already in use',
  visit: {
    AlterSeqStmt: (node, ctx) => {
      if (hasOption(node.options, 'restart')) ctx.report(`ALTER SEQUENCE ${relationName(node.sequence)} RESTART resets the sequence: ${CONSEQUENCE}.`)
    },
    AlterTableStmt: (node, ctx) => {
      for (const cmd of alterCmds(node)) {
        const options = cmd.def && 'List' in cmd.def ? cmd.def.List.items : undefined
        if (cmd.subtype === 'AT_SetIdentity' && defElems(options).some((d) => d.defname === 'restart')) {
          ctx.report(`ALTER COLUMN ${cmd.name} RESTART resets the identity sequence of ${relationName(node.relation)}: ${CONSEQUENCE}.`)
        }
      }
    },
    FuncCall: (node, ctx) => {
      if (funcName(node.funcname) === 'setval') ctx.report(`setval() sets a sequence's position: ${CONSEQUENCE}.`)
    },
  },
}
