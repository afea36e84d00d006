import type { RazorpayError } from '../../../adapters/razorpay/errors.ts';
import type { Result } from '../../../domain/errors.ts';

/** How patient reconcile is with a Razorpay that answers 429 or fails: attempts after the first, and the base wait. */
export type BackoffPolicy = {
  retries: number;
  baseMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

/** Five more tries over at least 6 s: longer than a burst of 429s, short enough to report an outage. */
export const DEFAULT_BACKOFF: BackoffPolicy = { retries: 5, baseMs: 400 };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs a gateway call again while it fails in a way another try may fix (429, 5xx, no answer),
 * waiting exponentially longer with equal jitter: half the step fixed, half random, so many
 * workers spread out yet each waits at least the fixed half. Razorpay sends no Retry-After.
 */
export async function withBackoff<T>(
  policy: BackoffPolicy,
  call: () => Promise<Result<T, RazorpayError>>,
  onRetry: () => void,
): Promise<Result<T, RazorpayError>> {
  const sleep = policy.sleep ?? realSleep;
  const random = policy.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    const result = await call();
    if (result.ok || !result.error.retryable || attempt >= policy.retries) return result;
    onRetry();
    const step = policy.baseMs * 2 ** attempt;
    await sleep(step / 2 + (random() * step) / 2);
  }
}
