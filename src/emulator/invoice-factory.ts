import type { Ctx } from './context.ts';
import { newId } from './ids.ts';
import type { AddonItem } from './state.ts';
import type { Invoice, InvoiceLineItem, Order, Plan, Subscription } from './types.ts';

/** One invoice line, untaxed, as subscription invoices show them. */
function lineItem(
  name: string,
  description: string | null,
  unitAmount: number,
  quantity: number,
  currency: string,
  type: InvoiceLineItem['type'],
  itemId: string | null,
): InvoiceLineItem {
  const gross = unitAmount * quantity;
  return {
    id: newId('lineItem'),
    item_id: itemId,
    ref_id: null,
    ref_type: null,
    name,
    description,
    amount: unitAmount,
    unit_amount: unitAmount,
    gross_amount: gross,
    tax_amount: 0,
    taxable_amount: gross,
    net_amount: gross,
    currency,
    type,
    tax_inclusive: false,
    hsn_code: null,
    sac_code: null,
    tax_rate: null,
    unit: null,
    quantity,
    taxes: [],
  };
}

/** Issues the invoice of one billing cycle (with its internal order), not yet paid; add-ons get their own lines. */
export function issueInvoice(ctx: Ctx, sub: Subscription, plan: Plan, addons: AddonItem[] = []): Invoice {
  const now = ctx.clock.now();
  const lines = [
    lineItem(
      plan.item.name,
      plan.item.description,
      plan.item.amount,
      sub.quantity,
      plan.item.currency,
      'plan',
      plan.item.id,
    ),
    ...addons.map((a) => lineItem(a.name, null, a.amount, 1, a.currency, 'addon', null)),
  ];
  const amount = lines.reduce((sum, line) => sum + line.gross_amount, 0);
  const order: Order = {
    id: newId('order'),
    entity: 'order',
    amount,
    amount_paid: 0,
    amount_due: amount,
    currency: plan.item.currency,
    receipt: null,
    offer_id: null,
    status: 'created',
    attempts: 0,
    notes: [],
    created_at: now,
  };
  ctx.state.orders.set(order.id, order);
  const customer = sub.customer_id ? ctx.state.customers.get(sub.customer_id) : undefined;
  const invoice: Invoice = {
    id: newId('invoice'),
    entity: 'invoice',
    receipt: null,
    invoice_number: null,
    customer_id: sub.customer_id,
    customer_details: {
      id: sub.customer_id,
      name: customer?.name ?? null,
      email: customer?.email ?? null,
      contact: customer?.contact ?? null,
      gstin: null,
      billing_address: null,
      shipping_address: null,
      customer_name: customer?.name ?? null,
      customer_email: customer?.email ?? null,
      customer_contact: customer?.contact ?? null,
    },
    order_id: order.id,
    subscription_id: sub.id,
    line_items: lines,
    payment_id: null,
    status: 'issued',
    expire_by: null,
    issued_at: now,
    paid_at: null,
    cancelled_at: null,
    expired_at: null,
    sms_status: null,
    email_status: null,
    date: now,
    terms: null,
    partial_payment: false,
    gross_amount: amount,
    tax_amount: 0,
    taxable_amount: amount,
    amount,
    amount_paid: 0,
    amount_due: amount,
    currency: plan.item.currency,
    currency_symbol: plan.item.currency === 'INR' ? '₹' : plan.item.currency,
    description: null,
    notes: [],
    comment: null,
    short_url: null,
    view_less: true,
    billing_start: sub.current_start ?? now,
    billing_end: sub.current_end ?? now,
    type: 'invoice',
    group_taxes_discounts: false,
    created_at: now,
    idempotency_key: null,
  };
  ctx.state.invoices.set(invoice.id, invoice);
  ctx.changed();
  return invoice;
}

/** Marks an invoice and its order paid by `paymentId`. */
export function markInvoicePaid(ctx: Ctx, invoice: Invoice, paymentId: string): void {
  invoice.status = 'paid';
  invoice.payment_id = paymentId;
  invoice.paid_at = ctx.clock.now();
  invoice.amount_paid = invoice.amount;
  invoice.amount_due = 0;
  const order = ctx.state.orders.get(invoice.order_id);
  if (order) {
    order.status = 'paid';
    order.amount_paid = order.amount;
    order.amount_due = 0;
  }
}
