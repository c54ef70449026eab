export type StepState = 'done' | 'todo' | 'attention' | 'outside'
