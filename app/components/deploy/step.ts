/** standby: a step taken only when something went wrong (the emergency rollback). */
export type StepState = 'done' | 'todo' | 'attention' | 'outside' | 'standby'
