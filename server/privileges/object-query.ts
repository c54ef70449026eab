import { z } from 'zod'
import { POWERS } from '~contract/privileges'
import { MAX_PAGE } from './object-list'

// The matrix's query string, checked at the boundary; each bad field is named in the 400.
const KINDS = ['table', 'partitioned table', 'view', 'materialized view', 'sequence'] as const
const SOURCES = ['owner', 'membership', 'grant', 'public', 'predefined', 'superuser'] as const

const filters = {
  schema: z.string().min(1).max(63).optional(),
  kind: z.enum(KINDS).optional(),
  power: z.enum([...POWERS, 'dangerous']).optional(),
  source: z.enum(SOURCES).optional(),
  search: z.string().max(200).optional(),
  role: z.string().optional(),
}

export const objectQuerySchema = z.object({
  ...filters,
  sort: z.enum(['name', 'owner', 'kind', 'dangerous']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional(),
})

export const exportQuerySchema = z.object({ ...filters, format: z.enum(['json', 'csv']).default('json') })

export const objectRefSchema = z.object({
  kind: z.enum(KINDS),
  schema: z.string().min(1).max(63),
  name: z.string().min(1).max(63),
  role: z.string().optional(),
})
