import type { RazorpayError } from '../../adapters/razorpay/errors.ts';
import { AppError } from '../../domain/errors.ts';

/**
 * Turns a failed Razorpay call into a 503 the caller can act on: Razorpay's own description (it
 * never holds our secrets) and what was being done, so an operator knows where it stopped.
 */
export function razorpayFailure(error: RazorpayError, doing: string): AppError {
  const why =
    error.kind === 'transport'
      ? `Razorpay did not answer (${error.reason})`
      : `Razorpay answered ${error.statusCode}: ${error.description}`;
  return new AppError('unavailable', `${why} while ${doing}; try again shortly`, {
    razorpayStatus: error.statusCode,
  });
}
