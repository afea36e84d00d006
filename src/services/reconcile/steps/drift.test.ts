import { describe, expect, it } from 'vitest';
import type { Payment, Subscription } from '../../../adapters/db/schema.ts';
import type { PaymentEntity, SubscriptionEntity } from '../../../domain/razorpay-event.ts';
import { paymentDrift, subscriptionDrift } from './drift.ts';

const at = (s: number) => new Date(s * 1000);
const START = 1_780_000_000;
const MONTH = 30 * 86_400;

const theirs = (over: Partial<SubscriptionEntity> = {}): SubscriptionEntity => ({
  id: 'sub_00000000000001',
  entity: 'subscription',
  plan_id: 'plan_00000000000001',
  customer_id: 'cust_00000000000001',
  status: 'active',
  current_start: START,
  current_end: START + MONTH,
  ended_at: null,
  charge_at: START + MONTH,
  start_at: START,
  quantity: 1,
  total_count: 12,
  paid_count: 1,
  remaining_count: 11,
  auth_attempts: 0,
  notes: { polaris_user_id: '7d5f4bde-4c39-4d8e-9a7e-0f0b7b0f6d11' },
  created_at: START,
  ...over,
});

// Our row as the state machine left it after applying `theirs()`.
const ours = (over: Partial<Subscription> = {}): Subscription =>
  ({
    subscription_id: '4a0d1f0e-0000-4000-8000-000000000001',
    user_id: '7d5f4bde-4c39-4d8e-9a7e-0f0b7b0f6d11',
    razorpay_subscription_id: 'sub_00000000000001',
    razorpay_plan_id: 'plan_00000000000001',
    razorpay_customer_id: 'cust_00000000000001',
    subscription_tier: 'navigator',
    billing_cycle: 'monthly',
    seats: 1,
    plan_amount: 349_900,
    currency: 'INR',
    status: 'active',
    current_start: at(START),
    current_end: at(START + MONTH),
    charge_at: at(START + MONTH),
    start_at: at(START),
    ended_at: null,
    total_count: 12,
    paid_count: 1,
    remaining_count: 11,
    auth_attempts: 0,
    cancel_at_cycle_end: false,
    cancelled_at: null,
    last_event_at: at(START + 5),
    notes: {},
    created_at: at(START),
    updated_at: at(START),
    ...over,
  }) as Subscription;

describe('subscriptionDrift', () => {
  it('finds none when our row is what the state machine makes of Razorpay copy', () => {
    expect(subscriptionDrift(ours(), theirs())).toBeNull();
  });

  it('names each differing field as ours and as Razorpay has it, to converge', () => {
    const renewed = theirs({
      paid_count: 2,
      remaining_count: 10,
      current_start: START + MONTH,
      current_end: START + 2 * MONTH,
      charge_at: START + 2 * MONTH,
    });
    expect(subscriptionDrift(ours(), renewed)).toMatchObject({
      entity: 'subscription',
      ours: { paid_count: '1', remaining_count: '11' },
      razorpay: { paid_count: '2', remaining_count: '10' },
      action: 'converge',
      convergible: true,
    });
  });

  it('leaves for a person what the state machine will not write: a final row Razorpay shows running', () => {
    const drift = subscriptionDrift(ours({ status: 'cancelled', cancelled_at: at(START + 10) }), theirs());
    expect(drift).toMatchObject({
      convergible: false,
      ours: { status: 'cancelled' },
      razorpay: { status: 'active' },
    });
    expect(drift?.action).toMatch(/^left for a person: .*final/);
  });

  it('a subscription we have no row for is created from its notes', () => {
    expect(subscriptionDrift(undefined, theirs())).toMatchObject({
      ours: null,
      razorpay: { status: 'active', user: '7d5f4bde-4c39-4d8e-9a7e-0f0b7b0f6d11' },
      action: 'create from its notes',
    });
  });
});

describe('paymentDrift', () => {
  const payment = (over: Partial<PaymentEntity> = {}): PaymentEntity => ({
    id: 'pay_00000000000001',
    entity: 'payment',
    amount: 349_900,
    currency: 'INR',
    status: 'captured',
    order_id: 'order_00000000000001',
    invoice_id: 'inv_00000000000001',
    method: 'card',
    amount_refunded: 0,
    created_at: START,
    ...over,
  });
  const row = (over: Partial<Payment> = {}) =>
    ({
      payment_id: '4a0d1f0e-0000-4000-8000-000000000002',
      subscription_id: '4a0d1f0e-0000-4000-8000-000000000001',
      user_id: '7d5f4bde-4c39-4d8e-9a7e-0f0b7b0f6d11',
      razorpay_payment_id: 'pay_00000000000001',
      razorpay_order_id: 'order_00000000000001',
      razorpay_invoice_id: 'inv_00000000000001',
      amount: 349_900,
      currency: 'INR',
      status: 'captured',
      method: 'card',
      error_code: null,
      error_description: null,
      error_source: null,
      error_step: null,
      error_reason: null,
      error_message: null,
      amount_refunded: 0,
      refund_status: null,
      refunded_at: null,
      captured_at: at(START),
      failed_at: null,
      billing_period_start: null,
      billing_period_end: null,
      last_event_at: null,
      created_at: at(START),
      updated_at: at(START),
      ...over,
    }) as Payment;

  it('finds none for a payment we hold as Razorpay does, and a record for one we lack', () => {
    expect(paymentDrift(row(), payment(), 'sub_00000000000001')).toBeNull();
    expect(paymentDrift(undefined, payment({ status: 'failed' }), 'sub_00000000000001')).toMatchObject({
      ours: null,
      razorpay: { status: 'failed' },
      action: 'record',
    });
  });

  it('converges a refund we missed, and leaves a backwards status for a person', () => {
    expect(paymentDrift(row(), payment({ amount_refunded: 100_000 }), 'sub_00000000000001')).toMatchObject({
      ours: { amount_refunded: '0', refund_status: '-' },
      razorpay: { amount_refunded: '100000', refund_status: 'partial' },
      action: 'converge',
    });
    expect(paymentDrift(row(), payment({ status: 'failed' }), 'sub_00000000000001')).toMatchObject({
      convergible: false,
      action: 'left for a person: payments never move backwards',
    });
  });
});
