export const PHASE_TITLE = { pre: 'Pre-deploy', post: 'Post-deploy' } as const
