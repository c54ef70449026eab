/** The driver's reason in words. Node reports a refused dual-stack connect as an AggregateError with an empty message. */
export function errorText(err: unknown): string {
  if (err instanceof AggregateError && !err.message) return err.errors.map((e) => (e as Error).message).join('; ')
  return err instanceof Error ? err.message : String(err)
}
