import { defineEventHandler } from 'h3'
import { overridesOf } from '~server/checklists/overrides'
import { checklistTemplates } from '~server/checklists/templates'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => checklistTemplates(overridesOf(await requireTarget(event))))
