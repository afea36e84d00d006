import type { RazorpayError } from '../adapters/razorpay/errors.ts';
import { AppError } from '../domain/errors.ts';

/** How a failed Razorpay call bears on a retry: worth another try, an id Razorpay does not know, or a refusal no retry changes. */
export type RazorpayFailureKind = 'transient' | 'unknown_id' | 'permanent';

const UNKNOWN_ID = /does not exist/i;

/** Classifies a failed call: 429, 5xx and no answer are transient; other 4xx are not. */
export function razorpayFailureKind(error: RazorpayError): RazorpayFailureKind {
  if (error.retryable) return 'transient';
  if (error.kind === 'api' && error.statusCode === 400 && UNKNOWN_ID.test(error.description)) {
    return 'unknown_id';
  }
  return 'permanent';
}

/**
 * Turns a failed Razorpay call into a 503 the caller can act on: Razorpay's own description (it
 * never holds our secrets) and what was being done, so an operator knows where it stopped. The
 * details carry the failure's kind, which the inbox processor uses to decide on a retry.
 */
export function razorpayFailure(error: RazorpayError, doing: string): AppError {
  const why =
    error.kind === 'transport'
      ? `Razorpay did not answer (${error.reason})`
      : `Razorpay answered ${error.statusCode}: ${error.description}`;
  const kind = razorpayFailureKind(error);
  const advice = kind === 'transient' ? '; try again shortly' : '';
  return new AppError('unavailable', `${why} while ${doing}${advice}`, {
    razorpayStatus: error.statusCode,
    razorpayFailure: kind,
  });
}
