import type { Source } from '~contract/privileges'

/** A source in plain words: "owns it", "member of app_owner (via SET ROLE)". */
export function describeSource(s: Source, role: string): string {
  const chain = s.via && s.via.length > 1 ? ` (${s.via.join(' → ')})` : ''
  const how = s.setRoleOnly ? ', after SET ROLE' : ''
  switch (s.kind) {
    case 'owner': return s.via && s.via.length > 1 ? `member of the owner ${s.via.at(-1)}${chain}${how}` : `${role} owns it`
    case 'membership': return `member of ${s.via?.at(-1) ?? '?'}${chain}${how}`
    case 'grant': return `granted directly${s.grantor ? ` by ${s.grantor}` : ''}`
    case 'public': return `granted to PUBLIC (every role)${s.grantor ? ` by ${s.grantor}` : ''}`
    case 'predefined': return `through predefined role ${s.via?.at(-1) ?? ''}${chain}${how}`
    case 'superuser': return `superuser${chain}${how}`
  }
}
