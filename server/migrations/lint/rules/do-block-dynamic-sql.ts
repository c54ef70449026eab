import type { Rule } from '../rule'
import { analyseDoBody } from '../do-body'

export const doBlockDynamicSql: Rule = {
  id: 'do-block-dynamic-sql',
  severity: 'warning',
  summary: 'EXECUTE in a DO block runs a statement built at run time, which cannot be checked',
  visit: {
    DoStmt: (node, ctx) => {
      for (const { expr, line } of analyseDoBody(node, ctx.lineAt).dynamic) {
        ctx.report(`in a DO block: EXECUTE ${expr} builds its statement at run time, so it cannot be checked: review what it can run.`, [], line)
      }
    },
  },
}
