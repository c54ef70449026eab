import { defineEventHandler, setHeader } from 'h3'
import { useConsole } from '../context'
import { requireSessionOrToken } from '../http/token-auth'
import { collectGauges } from '../metrics/collect'
import { prometheusText } from '../metrics/format'

export default defineEventHandler(async (event) => {
  await requireSessionOrToken(event)
  const { db, targets } = await useConsole()
  const text = prometheusText(await collectGauges(db, targets))
  setHeader(event, 'content-type', 'text/plain; version=0.0.4; charset=utf-8')
  setHeader(event, 'cache-control', 'no-store')
  return text
})
