import type { Rule } from '../rule'
import { analyseDoBody } from '../do-body'

export const doBlockUnchecked: Rule = {
  id: 'do-block-unchecked',
  severity: 'warning',
  summary: 'A DO block whose body could not be checked (not PL/pgSQL, or it does not parse)',
  visit: {
    DoStmt: (node, ctx) => {
      const { unchecked } = analyseDoBody(node, ctx.lineAt)
      if (unchecked) ctx.report(`DO block: ${unchecked}; review it by hand.`)
    },
  },
}
