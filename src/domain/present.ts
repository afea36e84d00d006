/**
 * The value, or an Error naming what was missing: for values the code's own logic guarantees
 * (a row it just locked, a key it just set), so a broken guarantee fails loudly as a bug.
 */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}
