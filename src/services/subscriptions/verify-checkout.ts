import { AppError } from '../../domain/errors.ts';
import { convergeSubscription } from '../billing/converge-subscription.ts';
import type { ServiceContext } from '../context.ts';
import { razorpayFailure } from '../razorpay-failure.ts';

/** Checkout's handler fields, as the browser posts them. */
export type VerifyInput = {
  userId: string;
  razorpayPaymentId: string;
  razorpaySubscriptionId: string;
  razorpaySignature: string;
};

/**
 * POST /api/subscriptions/verify: the subscription must be the caller's own row; the signature
 * is checked in constant time against the ids we stored; then our rows converge from Razorpay's
 * own state through the same code as webhooks, so a verify racing the webhook changes nothing twice.
 */
export async function verifyCheckout({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: VerifyInput;
}): Promise<{ subscriptionId: string; status: string; changed: boolean }> {
  const row = await ctx.repos.checkout.findOwnByRazorpayId(input.userId, input.razorpaySubscriptionId);
  if (!row?.razorpay_subscription_id) throw new AppError('not_found', 'no such subscription');
  const signature = ctx.signatures.verifyPayment(
    { paymentId: input.razorpayPaymentId, subscriptionId: row.razorpay_subscription_id },
    input.razorpaySignature,
    ctx.settings.razorpayKeySecret,
  );
  if (!signature.ok) {
    ctx.log.warn(
      { userId: input.userId, subscriptionId: row.subscription_id, reason: signature.error },
      'checkout signature rejected',
    );
    throw new AppError('bad_request', 'the payment signature does not match; nothing was changed');
  }
  const subscription = await ctx.gateway.fetchSubscription(row.razorpay_subscription_id);
  if (!subscription.ok) {
    throw razorpayFailure(
      subscription.error,
      'confirming your payment (it will be applied when Razorpay notifies us)',
    );
  }
  // The payment is a detail; the subscription alone decides access, so a failed fetch is not fatal.
  const payment = await ctx.gateway.fetchPayment(input.razorpayPaymentId);
  if (!payment.ok)
    ctx.log.warn({ payment: input.razorpayPaymentId, err: payment.error }, 'payment fetch failed');
  const converged = await convergeSubscription({
    ctx,
    input: { subscription: subscription.value, ...(payment.ok ? { payment: payment.value } : {}) },
  });
  return converged;
}
