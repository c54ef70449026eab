import { Readable } from 'node:stream'
import { stringify } from 'csv-stringify'
import { POWERS, type ObjectQuery, type PrivilegeReport } from '~contract/privileges'
import { filterEntries, objectEntries } from './object-list'

const CHUNK = 500

/**
 * The objects matching the filters, streamed: JSON (one array of objects, each with the chains behind
 * its powers) or CSV (one row per object, a column per power). Written a chunk at a time, so the
 * console never holds the whole text of a 50,000-table export.
 */
export function exportStream(report: PrivilegeReport, query: ObjectQuery, format: 'json' | 'csv'): Readable {
  const entries = filterEntries(objectEntries(report), query)
  if (format === 'json') {
    return Readable.from((function* () {
      for (let i = 0; i < entries.length; i += CHUNK) {
        const part = entries.slice(i, i + CHUNK).map((e) => JSON.stringify({ ...e.object, sources: e.sources }))
        yield `${i === 0 ? '[' : ','}${part.join(',')}`
      }
      yield entries.length === 0 ? '[]\n' : ']\n'
    })())
  }
  const csv = stringify({ header: true, columns: ['schema', 'name', 'kind', 'owner', 'owned_by_role', ...POWERS, 'sources'] })
  return Readable.from((function* () {
    for (const { object: o } of entries) {
      yield [o.schema, o.name, o.kind, o.owner, o.ownedByRole, ...POWERS.map((p) => (o.powers[p] === null ? '' : o.powers[p])), o.sourceKinds.join(' ')]
    }
  })()).pipe(csv)
}
