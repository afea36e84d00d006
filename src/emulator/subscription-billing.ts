import type { Ctx } from './context.ts';
import { issueInvoice, markInvoicePaid } from './invoice-factory.ts';
import {
  authorizePayment,
  createPayment,
  DECLINED,
  type Instrument,
  markCaptured,
  markFailed,
} from './payment-factory.ts';
import { lastChargeTime, ONE_DAY, periodBoundary } from './period.ts';
import type { SubscriptionMeta } from './state.ts';
import type { Invoice, Payment, Plan, Subscription } from './types.ts';

/** Charge attempts in a row that halt a subscription (test mode: the first try and three retries). */
export const MAX_CHARGE_ATTEMPTS = 4;

/** The emulator's bookkeeping for a subscription, created on first use. */
export function metaOf(ctx: Ctx, subId: string): SubscriptionMeta {
  let meta = ctx.state.subscriptionMeta.get(subId);
  if (!meta) {
    meta = {
      invoicesGenerated: 0,
      failNext: 0,
      cancelAtCycleEnd: false,
      scheduledChange: null,
      openInvoiceId: null,
      addons: [],
    };
    ctx.state.subscriptionMeta.set(subId, meta);
  }
  // State saved before add-ons were kept as items has none.
  meta.addons ??= [];
  return meta;
}

/**
 * Sets `end_at` to the time of the last charge: counted from the current cycle's start once one
 * is open, else from the first charge's time (a plan or count change moves it).
 */
export function refreshEndAt(ctx: Ctx, sub: Subscription): void {
  const plan = ctx.state.plans.get(sub.plan_id);
  if (!plan) return;
  const generated = metaOf(ctx, sub.id).invoicesGenerated;
  const open = generated > 0 && sub.current_start !== null;
  const from = open ? sub.current_start! : (sub.start_at ?? ctx.clock.now());
  const charges = sub.total_count - (open ? generated - 1 : 0);
  sub.end_at = lastChargeTime(from, plan.period, plan.interval, charges);
}

/** Starts the next billing cycle at `start` and issues its invoice. */
export function openCycle(ctx: Ctx, sub: Subscription, plan: Plan, start: number): Invoice {
  const meta = metaOf(ctx, sub.id);
  sub.current_start = start;
  sub.current_end = periodBoundary(start, plan.period, plan.interval);
  const invoice = issueInvoice(ctx, sub, plan, meta.invoicesGenerated === 0 ? meta.addons : []);
  meta.invoicesGenerated += 1;
  meta.openInvoiceId = invoice.id;
  sub.remaining_count = Math.max(0, sub.total_count - meta.invoicesGenerated);
  return invoice;
}

/** Instrument used for automatic charges: the subscription's own payment method. */
function autoInstrument(sub: Subscription, fail: boolean): Instrument {
  if (fail) return 'card_failure';
  return sub.payment_method === 'upi' ? 'upi_success' : 'card_success';
}

/**
 * Charges `invoice` once. Success: captured payment, paid invoice, `subscription.charged` (with
 * `activated` before it on a first charge, after it on a recovery) and `completed` after the last
 * cycle. Failure: `payment.failed`, then `pending` (retry tomorrow) or `halted` after four in a row.
 */
export function chargeInvoice(
  ctx: Ctx,
  sub: Subscription,
  invoice: Invoice,
  instrument: Instrument = autoInstrument(sub, false),
): Payment {
  const meta = metaOf(ctx, sub.id);
  const now = ctx.clock.now();
  const customer = sub.customer_id ? ctx.state.customers.get(sub.customer_id) : undefined;
  const payment = createPayment(ctx, {
    amount: invoice.amount,
    currency: invoice.currency,
    instrument,
    orderId: invoice.order_id,
    invoiceId: invoice.id,
    customerId: sub.customer_id,
    description: 'Recurring Payment via Subscription',
    ...(customer?.email ? { email: customer.email } : {}),
    ...(customer?.contact ? { contact: customer.contact } : {}),
  });
  const order = ctx.state.orders.get(invoice.order_id);
  if (order) {
    order.attempts += 1;
    if (order.status === 'created') order.status = 'attempted';
  }
  if (instrument === 'card_failure') {
    markFailed(payment, DECLINED);
    sub.auth_attempts += 1;
    ctx.emit('payment.failed', { payment });
    if (sub.auth_attempts >= MAX_CHARGE_ATTEMPTS) {
      sub.status = 'halted';
      // Halted subscriptions keep issuing invoices each cycle but never retry the old ones.
      meta.openInvoiceId = null;
      sub.charge_at = sub.remaining_count > 0 ? sub.current_end : null;
      ctx.emit('subscription.halted', { subscription: sub });
    } else {
      if (sub.status !== 'created') sub.status = 'pending';
      sub.charge_at = now + ONE_DAY;
      ctx.emit('subscription.pending', { subscription: sub });
    }
    ctx.changed();
    return payment;
  }
  const before = sub.status;
  authorizePayment(payment);
  ctx.emit('payment.authorized', { payment });
  markCaptured(payment);
  ctx.emit('payment.captured', { payment });
  markInvoicePaid(ctx, invoice, payment.id);
  meta.openInvoiceId = null;
  sub.paid_count += 1;
  sub.auth_attempts = 0;
  sub.status = 'active';
  sub.charge_at = sub.remaining_count > 0 ? sub.current_end : null;
  const order2 = ctx.state.orders.get(invoice.order_id);
  if (order2) ctx.emit('invoice.paid', { payment, order: order2, invoice });
  const firstCharge = before === 'created' || before === 'authenticated';
  if (firstCharge) ctx.emit('subscription.activated', { subscription: sub, payment });
  ctx.emit('subscription.charged', { subscription: sub, payment });
  if (before === 'pending' || before === 'halted')
    ctx.emit('subscription.activated', { subscription: sub, payment });
  if (sub.remaining_count === 0 && invoicesAllPaid(ctx, sub.id)) {
    sub.status = 'completed';
    // The docs' completed subscription ends at its last charge: ended_at equals end_at.
    sub.ended_at = sub.end_at ?? now;
    sub.charge_at = null;
    ctx.emit('subscription.completed', { subscription: sub, payment });
  }
  ctx.changed();
  return payment;
}

function invoicesAllPaid(ctx: Ctx, subId: string): boolean {
  for (const invoice of ctx.state.invoices.values()) {
    if (invoice.subscription_id === subId && invoice.status !== 'paid') return false;
  }
  return true;
}

/** The charge due at `charge_at`: a new cycle's first attempt, or a retry of the open invoice. */
export function runDueCharge(ctx: Ctx, sub: Subscription): void {
  const plan = ctx.state.plans.get(sub.plan_id);
  if (!plan) {
    sub.charge_at = null;
    return;
  }
  const meta = metaOf(ctx, sub.id);
  const now = ctx.clock.now();
  if (sub.status === 'halted') {
    openCycle(ctx, sub, plan, sub.current_end ?? now);
    meta.openInvoiceId = null;
    sub.charge_at = sub.remaining_count > 0 ? sub.current_end : null;
    ctx.changed();
    return;
  }
  let invoice = meta.openInvoiceId ? ctx.state.invoices.get(meta.openInvoiceId) : undefined;
  if (!invoice) {
    const start = sub.status === 'authenticated' ? (sub.charge_at ?? now) : (sub.current_end ?? now);
    invoice = openCycle(ctx, sub, plan, start);
  }
  const fail = meta.failNext > 0;
  if (fail) meta.failNext -= 1;
  chargeInvoice(ctx, sub, invoice, autoInstrument(sub, fail));
}
