/** The inbox's processing statuses (razorpay_webhook_events.processing_status). */
export const INBOX_STATUSES = ['pending', 'processing', 'processed', 'failed', 'skipped'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/**
 * What a failed attempt says about the next one:
 * - `retry`: a passing fault (Razorpay or the database did not answer); back off and try again;
 * - `confirm`: Razorpay does not know the entity; try twice more soon, then skip (test and live
 *   mode crossed, or another account: no later attempt will find it);
 * - `skip`: the entity is not Polaris's (another product on the same Razorpay account);
 * - `fail`: no retry can help (a malformed payload, a refusal from Razorpay); park it for an operator.
 */
export type AttemptDisposition = 'retry' | 'confirm' | 'skip' | 'fail';

/** Where a failed event goes next: back to pending after a delay, parked as failed, or skipped. */
export type AttemptVerdict =
  | { status: 'pending'; retryInMs: number }
  | { status: 'failed' }
  | { status: 'skipped' };

/** Attempts an unknown entity gets before its event is skipped; with the backoff, well within a minute. */
export const CONFIRM_ATTEMPTS = 3;

const MAX_DELAY_MS = 3_600_000;

/** The next step for an event whose `attempts`-th attempt failed: exponential backoff from `backoffMs`. */
export function verdictFor(input: {
  disposition: AttemptDisposition;
  attempts: number;
  maxAttempts: number;
  backoffMs: number;
}): AttemptVerdict {
  const { disposition, attempts, maxAttempts, backoffMs } = input;
  if (disposition === 'skip') return { status: 'skipped' };
  if (disposition === 'fail') return { status: 'failed' };
  if (disposition === 'confirm' && attempts >= CONFIRM_ATTEMPTS) return { status: 'skipped' };
  if (attempts >= maxAttempts) return { status: 'failed' };
  const delay = disposition === 'confirm' ? backoffMs : backoffMs * 2 ** (attempts - 1);
  return { status: 'pending', retryInMs: Math.min(delay, MAX_DELAY_MS) };
}
