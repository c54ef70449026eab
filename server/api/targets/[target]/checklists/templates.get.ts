import { defineEventHandler } from 'h3'
import { overridesOf } from '../../../../checklists/overrides'
import { checklistTemplates } from '../../../../checklists/templates'
import { requireTarget } from '../../../../http/target'

export default defineEventHandler(async (event) => checklistTemplates(overridesOf(await requireTarget(event))))
