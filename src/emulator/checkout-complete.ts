import { z } from 'zod';
import { signOrderPayment, signSubscriptionPayment } from '../adapters/razorpay/signature.ts';
import { type ApiError, type ApiResult, badRequest, failure, idNotFound, success } from './api-error.ts';
import type { Ctx } from './context.ts';
import { customerForCheckout } from './customers.ts';
import {
  authorizePayment,
  createPayment,
  DECLINED,
  DEFAULT_PAYER,
  INSTRUMENTS,
  markCaptured,
  markFailed,
} from './payment-factory.ts';
import { settleCapture } from './payments.ts';
import { chargeInvoice, metaOf, openCycle, refreshEndAt } from './subscription-billing.ts';
import type { Payment, Subscription } from './types.ts';
import { validate } from './validate.ts';

const completeBody = z
  .strictObject({
    subscription_id: z.string().optional(),
    order_id: z.string().optional(),
    instrument: z.enum(INSTRUMENTS).default('card_success'),
    email: z.string().optional(),
    contact: z.string().optional(),
  })
  .refine((b) => (b.subscription_id === undefined) !== (b.order_id === undefined), {
    message: 'Exactly one of subscription_id or order_id is required.',
    path: ['subscription_id'],
  });

/** What checkout's `handler` receives after a successful payment. */
export type CheckoutSuccess = {
  razorpay_payment_id: string;
  razorpay_signature: string;
  razorpay_subscription_id?: string;
  razorpay_order_id?: string;
};

/** The error checkout's `payment.failed` callback receives, with the payment in its metadata. */
function paymentError(payment: Payment, extra: Record<string, string>): ApiError {
  const error = badRequest(DECLINED.error_description, undefined, { payment_id: payment.id, ...extra });
  Object.assign(error.body.error, {
    source: DECLINED.error_source,
    step: DECLINED.error_step,
    reason: DECLINED.error_reason,
  });
  return error;
}

/** Pays an order or authorises a subscription with a test instrument, as the checkout page does. */
export function completeCheckout(ctx: Ctx, input: unknown): ApiResult<CheckoutSuccess> {
  const body = validate(completeBody, input);
  if (!body.ok) return body;
  const payer = {
    email: body.value.email ?? DEFAULT_PAYER.email,
    contact: body.value.contact ?? DEFAULT_PAYER.contact,
  };
  const instrument = body.value.instrument;
  if (body.value.order_id !== undefined) return payOrder(ctx, body.value.order_id, instrument, payer);
  const sub = ctx.state.subscriptions.get(body.value.subscription_id ?? '');
  if (!sub) return failure(idNotFound());
  const payment = authorizeSubscription(ctx, sub, instrument, payer);
  if (!payment.ok) return payment;
  if (payment.value.status === 'failed') {
    return failure(paymentError(payment.value, { subscription_id: sub.id }));
  }
  return success({
    razorpay_payment_id: payment.value.id,
    razorpay_subscription_id: sub.id,
    razorpay_signature: signSubscriptionPayment(payment.value.id, sub.id, ctx.config.keySecret),
  });
}

function payOrder(
  ctx: Ctx,
  orderId: string,
  instrument: (typeof INSTRUMENTS)[number],
  payer: { email: string; contact: string },
): ApiResult<CheckoutSuccess> {
  const order = ctx.state.orders.get(orderId);
  if (!order) return failure(idNotFound());
  if (order.status === 'paid') return failure(badRequest('Order has already been paid.', 'order_id'));
  const payment = createPayment(ctx, {
    amount: order.amount_due,
    currency: order.currency,
    instrument,
    orderId,
    ...payer,
  });
  order.attempts += 1;
  order.status = 'attempted';
  if (instrument === 'card_failure') {
    markFailed(payment);
    ctx.emit('payment.failed', { payment });
    ctx.changed();
    return failure(paymentError(payment, { order_id: orderId }));
  }
  authorizePayment(payment);
  ctx.emit('payment.authorized', { payment });
  if (!ctx.state.orderManualCapture.get(orderId)) settleCapture(ctx, payment);
  ctx.changed();
  return success({
    razorpay_payment_id: payment.id,
    razorpay_order_id: orderId,
    razorpay_signature: signOrderPayment(orderId, payment.id, ctx.config.keySecret),
  });
}

function authorizeSubscription(
  ctx: Ctx,
  sub: Subscription,
  instrument: (typeof INSTRUMENTS)[number],
  payer: { email: string; contact: string },
): ApiResult<Payment> {
  const plan = ctx.state.plans.get(sub.plan_id);
  if (!plan) return failure(idNotFound());
  if (sub.status === 'pending' || sub.status === 'halted') {
    // A new card or method: the open invoice (or the latest unpaid one) is charged now.
    const invoice = [...ctx.state.invoices.values()]
      .reverse()
      .find((i) => i.subscription_id === sub.id && i.status === 'issued');
    if (!invoice) return failure(badRequest('No unpaid invoice to charge for this subscription.'));
    sub.payment_method = instrument === 'upi_success' ? 'upi' : 'card';
    return success(chargeInvoice(ctx, sub, invoice, instrument));
  }
  if (sub.status !== 'created') {
    return failure(
      badRequest(`Subscription cannot be authenticated in ${sub.status} status.`, 'subscription_id'),
    );
  }
  const now = ctx.clock.now();
  const immediate = sub.start_at === null || sub.start_at <= now;
  if (instrument === 'card_failure') {
    const amount = immediate ? plan.item.amount * sub.quantity : 500;
    const failed = createPayment(ctx, {
      amount,
      currency: plan.item.currency,
      instrument,
      orderId: null,
      ...payer,
    });
    markFailed(failed);
    ctx.emit('payment.failed', { payment: failed });
    return success(failed);
  }
  const customer = customerForCheckout(ctx, payer.email, payer.contact);
  sub.customer_id = customer.id;
  sub.payment_method = instrument === 'upi_success' ? 'upi' : 'card';
  if (immediate) {
    const invoice = openCycle(ctx, sub, plan, now);
    sub.start_at = now;
    refreshEndAt(ctx, sub);
    return success(chargeInvoice(ctx, sub, invoice, instrument));
  }
  // Future start: a small authorisation payment, refunded at once; the first charge waits for start_at.
  const auth = createPayment(ctx, {
    amount: instrument === 'upi_success' ? 100 : 500,
    currency: plan.item.currency,
    instrument,
    orderId: null,
    customerId: customer.id,
    description: 'Authorization payment for subscription',
    ...payer,
  });
  authorizePayment(auth);
  markCaptured(auth);
  auth.amount_refunded = auth.amount;
  auth.refund_status = 'full';
  auth.status = 'refunded';
  sub.status = 'authenticated';
  sub.charge_at = sub.start_at;
  metaOf(ctx, sub.id);
  if (ctx.config.authenticatedEvent) ctx.emit('subscription.authenticated', { subscription: sub });
  ctx.changed();
  return success(auth);
}
