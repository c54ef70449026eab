import type { Rule } from '../rule'
import { analyseDoBody } from '../do-body'

export const doBlock: Rule = {
  id: 'do-block',
  severity: 'info',
  summary: 'DO blocks contain procedural code the linter cannot fully see into',
  visit: {
    DoStmt: (node, ctx) => {
      const body = analyseDoBody(node, ctx.lineAt)
      const seen = body.analysed
        ? 'only DROP, TRUNCATE and DELETE inside it are checked'
        : `its ${body.language} body was not analysed`
      const dynamic = body.dynamicSql > 0 ? ` It builds SQL at run time (EXECUTE) that no static check can see.` : ''
      ctx.report(`DO block: contains procedural code the linter cannot see into (${seen}); review it by hand.${dynamic}`)
    },
  },
}
