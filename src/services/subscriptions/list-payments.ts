import type { ServiceContext } from '../context.ts';

/** A payment as its owner sees it (amounts in paise). */
export type PaymentView = {
  paymentId: string;
  razorpayPaymentId: string;
  subscriptionId: string | null;
  amount: number;
  currency: string;
  status: string;
  method: string | null;
  amountRefunded: number;
  refundStatus: 'partial' | 'full' | null;
  errorDescription: string | null;
  createdAt: string;
};

/** The caller's own payments, newest first, one page at a time. */
export async function listPayments({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { userId: string; limit: number; offset: number };
}): Promise<{ items: PaymentView[]; nextOffset: number | null }> {
  const rows = await ctx.repos.checkout.listPayments(input.userId, {
    limit: input.limit + 1,
    offset: input.offset,
  });
  const items = rows.slice(0, input.limit).map((p) => ({
    paymentId: p.payment_id,
    razorpayPaymentId: p.razorpay_payment_id,
    subscriptionId: p.subscription_id,
    amount: p.amount,
    currency: p.currency,
    status: p.status,
    method: p.method,
    amountRefunded: p.amount_refunded,
    refundStatus: p.refund_status,
    errorDescription: p.error_description,
    createdAt: p.created_at.toISOString(),
  }));
  return { items, nextOffset: rows.length > input.limit ? input.offset + input.limit : null };
}
