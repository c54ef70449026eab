/**
 * A step that several tests of a file need (a backup taken, a user added, a run started): the first test
 * that asks runs it, later ones get the same result. So every test sets up what it needs and passes alone
 * (`vitest -t`), while a whole-file run still does each step exactly once, in file order.
 */
export function once<T>(step: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined
  return () => (result ??= step())
}
