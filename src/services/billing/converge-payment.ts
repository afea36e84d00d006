import type { Repos } from '../../adapters/db/repos.ts';
import type { RzpPayment, RzpRefund } from '../../adapters/razorpay/wire.ts';
import { AppError, type Result } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { applyPaymentSnapshot } from './apply-payment.ts';
import { convergeSubscription } from './converge-subscription.ts';
import { fromUnix } from './snapshot.ts';

/** A payment snapshot from an event or a fetch; `razorpaySubscriptionId` when the event names it. */
export type ConvergePaymentInput = {
  payment: RzpPayment;
  refund?: RzpRefund;
  razorpaySubscriptionId?: string | null;
  eventCreatedAt?: number;
};

/**
 * Merges a Razorpay payment (and refund) into our payments table, forward-only and safe to run
 * twice; a subscription payment is linked to our subscription, found through its invoice.
 */
export async function convergePayment({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ConvergePaymentInput;
}): Promise<Result<{ paymentId: string; status: string; changed: boolean }>> {
  const subscriptionRzpId = await subscriptionOf(ctx, input);
  if (!subscriptionRzpId.ok) return subscriptionRzpId;
  const placed = await ensureSubscription(ctx, subscriptionRzpId.value);
  if (!placed.ok) return placed;
  return ctx.transaction(async (repos) => {
    const link = await linkFor(repos, subscriptionRzpId.value);
    const { row, changed } = await applyPaymentSnapshot(repos, {
      payment: input.payment,
      refund: input.refund,
      eventAt: fromUnix(input.eventCreatedAt),
      link,
    });
    return { ok: true, value: { paymentId: row.payment_id, status: row.status, changed } };
  });
}

// Payment events do not name the subscription; its invoice does, so ask Razorpay once, unless
// our row is already linked.
async function subscriptionOf(
  ctx: ServiceContext,
  input: ConvergePaymentInput,
): Promise<Result<string | null>> {
  if (input.razorpaySubscriptionId) return { ok: true, value: input.razorpaySubscriptionId };
  const invoiceId = input.payment.invoice_id;
  if (!invoiceId) return { ok: true, value: null };
  const existing = await ctx.repos.billing.findPaymentByRazorpayId(input.payment.id);
  if (existing?.subscription_id) return { ok: true, value: null };
  const invoice = await ctx.gateway.fetchInvoice(invoiceId);
  if (!invoice.ok) {
    return {
      ok: false,
      error: new AppError('unavailable', `could not fetch invoice ${invoiceId}: ${invoice.error.message}`),
    };
  }
  return { ok: true, value: invoice.value.subscription_id ?? null };
}

// A payment that arrives before any event of its subscription cannot be placed: fetch the
// subscription and converge it first, so the payment links to our row in every delivery order.
async function ensureSubscription(ctx: ServiceContext, razorpayId: string | null): Promise<Result<null>> {
  if (!razorpayId || (await ctx.repos.billing.findSubscriptionByRazorpayId(razorpayId)))
    return { ok: true, value: null };
  const fetched = await ctx.gateway.fetchSubscription(razorpayId);
  if (!fetched.ok) {
    return {
      ok: false,
      error: new AppError('unavailable', `could not fetch ${razorpayId}: ${fetched.error.message}`),
    };
  }
  const converged = await convergeSubscription({ ctx, input: { subscription: fetched.value } });
  return converged.ok ? { ok: true, value: null } : converged;
}

async function linkFor(repos: Repos, razorpaySubscriptionId: string | null) {
  if (!razorpaySubscriptionId) return undefined;
  const sub = await repos.billing.findSubscriptionByRazorpayId(razorpaySubscriptionId);
  return sub ? { subscription_id: sub.subscription_id, user_id: sub.user_id } : undefined;
}
