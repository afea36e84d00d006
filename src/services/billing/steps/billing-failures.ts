import type { RazorpayError } from '../../../adapters/razorpay/errors.ts';
import { AppError } from '../../../domain/errors.ts';
import { razorpayFailure } from '../../razorpay-failure.ts';

// Failures of the billing steps, thrown inside the transaction (which rolls it back) with what
// the inbox needs to decide on a retry in their details (services/webhooks/process-inbox.ts).

/** A failed Razorpay call made while converging. */
export function razorpayAbort(error: RazorpayError, doing: string): AppError {
  return razorpayFailure(error, doing);
}

/** An entity that is not Polaris's (another product on the same Razorpay account): skipped, never retried. */
export function notOurs(message: string): AppError {
  return new AppError('not_found', message, { disposition: 'skip' });
}

/** Something Polaris cannot apply until an operator acts: parked at once, not retried. */
export function cannotApply(message: string): AppError {
  return new AppError('conflict', message, { disposition: 'fail' });
}
