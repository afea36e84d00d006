import type { Ctx } from './context.ts';
import { base62Id, newId } from './ids.ts';
import type { Payment } from './types.ts';

/** Test instruments offered by the checkout page and the checkout-complete control. */
export const INSTRUMENTS = ['card_success', 'card_failure', 'upi_success'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

/** Who pays in the emulator unless checkout's prefill says otherwise. */
export const DEFAULT_PAYER = { email: 'gaurav.kumar@example.com', contact: '+919000090000' };

/** Razorpay's error fields for a declined payment (the documented `payment.failed` sample). */
export const DECLINED = {
  error_code: 'BAD_REQUEST_ERROR',
  error_description: 'Payment failed',
  error_source: 'bank',
  error_step: 'payment_authorization',
  error_reason: 'payment_failed',
} as const;

type NewPayment = {
  amount: number;
  currency: string;
  instrument: Instrument;
  orderId: string | null;
  invoiceId?: string | null;
  customerId?: string | null;
  description?: string | null;
  email?: string;
  contact?: string;
};

/** A payment in `created`, with the instrument's card or UPI details, stored in state. */
export function createPayment(ctx: Ctx, p: NewPayment): Payment {
  const isUpi = p.instrument === 'upi_success';
  const cardId = isUpi ? null : newId('card');
  const payment: Payment = {
    id: newId('payment'),
    entity: 'payment',
    amount: p.amount,
    currency: p.currency,
    base_amount: p.amount,
    status: 'created',
    order_id: p.orderId,
    invoice_id: p.invoiceId ?? null,
    international: false,
    method: isUpi ? 'upi' : 'card',
    amount_refunded: 0,
    amount_transferred: 0,
    refund_status: null,
    captured: false,
    description: p.description ?? null,
    card_id: cardId,
    ...(cardId ? { card: cardFor(cardId, p.instrument) } : {}),
    bank: null,
    wallet: null,
    vpa: isUpi ? 'success@razorpay' : null,
    ...(isUpi
      ? { upi: { payer_account_type: 'bank_account', vpa: 'success@razorpay', flow: 'collect' } }
      : {}),
    email: p.email ?? DEFAULT_PAYER.email,
    contact: p.contact ?? DEFAULT_PAYER.contact,
    customer_id: p.customerId ?? null,
    token_id: null,
    notes: [],
    fee: null,
    tax: null,
    error_code: null,
    error_description: null,
    error_source: null,
    error_step: null,
    error_reason: null,
    acquirer_data: isUpi ? { rrn: digits(12), upi_transaction_id: base62Id(20) } : { auth_code: digits(6) },
    created_at: ctx.clock.now(),
  };
  ctx.state.payments.set(payment.id, payment);
  ctx.changed();
  return payment;
}

function cardFor(id: string, instrument: Instrument): Record<string, unknown> {
  return {
    id,
    entity: 'card',
    name: 'Gaurav Kumar',
    last4: instrument === 'card_failure' ? '0002' : '1111',
    network: 'Visa',
    type: 'credit',
    issuer: 'HDFC',
    international: false,
    emi: false,
    sub_type: 'consumer',
    token_iin: null,
  };
}

function digits(n: number): string {
  return base62Id(n * 2)
    .replace(/[^0-9]/g, '')
    .padEnd(n, '7')
    .slice(0, n);
}

/** Marks a payment authorised (fees are set at capture). */
export function authorizePayment(payment: Payment): void {
  payment.status = 'authorized';
}

/** Marks a payment captured and charges Razorpay's fee: 2 % plus 18 % tax on the fee. */
export function markCaptured(payment: Payment): void {
  payment.status = 'captured';
  payment.captured = true;
  const fee = Math.round(payment.amount * 0.02);
  payment.tax = Math.round(fee * 0.18);
  payment.fee = fee + payment.tax;
}

/** Marks a payment failed with Razorpay's error fields. */
export function markFailed(payment: Payment, error: Partial<typeof DECLINED> = DECLINED): void {
  payment.status = 'failed';
  Object.assign(payment, DECLINED, error);
}
