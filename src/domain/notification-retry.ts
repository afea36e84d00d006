/** Attempts a delivery gets before it is marked failed (an operator may retry it). */
export const MAX_DELIVERY_ATTEMPTS = 6;

/** How long a claimed delivery may stay unmarked before its deliverer is taken for dead. */
export const SENDING_LEASE_MS = 5 * 60_000;

/** Why a send did not go through: `retry` may succeed later, `permanent` never will. */
export type SendFailure = { kind: 'retry' | 'permanent'; message: string };

/** When to try again after `attempts` failures: 30 s doubling, at most an hour; undefined gives up. */
export function nextAttemptAt(now: Date, attempts: number, failure: SendFailure): Date | undefined {
  if (failure.kind === 'permanent' || attempts >= MAX_DELIVERY_ATTEMPTS) return undefined;
  const delay = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return new Date(now.getTime() + delay);
}
