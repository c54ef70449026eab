import type { Rule } from '../rule'
import { analyseDoBody } from '../do-body'

export const doBlockDestructive: Rule = {
  id: 'do-block-destructive',
  severity: 'warning',
  summary: 'A DO block that runs DROP, TRUNCATE or DELETE',
  visit: {
    DoStmt: (node, ctx) => {
      const { destructive } = analyseDoBody(node, ctx.lineAt)
      if (destructive.length === 0) return
      const list = destructive.map((d) => `${d.what} (line ${d.line})`).join('; ')
      ctx.report(`DO block runs ${list}: check what it removes and under which condition.`)
    },
  },
}
