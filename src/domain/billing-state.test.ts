import { describe, expect, it } from 'vitest';
import {
  canMovePayment,
  canMoveSubscription,
  compareSubscriptionSnapshots,
  decideSubscription,
  mergePaymentStatus,
  mergeRefundStatus,
  type PaymentStatus,
  refundStatusFor,
  type SubscriptionStatus,
  settleRefunds,
} from './billing-state.ts';

const at = (s: number) => new Date(s * 1000);
const clock = (eventAt: number | null, paidCount = 1, currentEnd: number | null = 100) => ({
  eventAt: eventAt === null ? null : at(eventAt),
  paidCount,
  currentEnd: currentEnd === null ? null : at(currentEnd),
});

describe('subscription transitions', () => {
  it('allows the documented moves and refuses the rest', () => {
    for (const [from, to] of <[SubscriptionStatus, SubscriptionStatus][]>[
      ['created', 'authenticated'],
      ['authenticated', 'active'],
      ['active', 'pending'],
      ['pending', 'active'],
      ['pending', 'halted'],
      ['halted', 'active'],
      ['active', 'paused'],
      ['paused', 'active'],
      ['active', 'cancelled'],
    ]) {
      expect(canMoveSubscription(from!, to!)).toBe(true);
    }
    for (const [from, to] of <[SubscriptionStatus, SubscriptionStatus][]>[
      ['active', 'created'],
      ['active', 'authenticated'],
      ['halted', 'pending'],
      ['cancelled', 'active'],
      ['completed', 'active'],
      ['expired', 'created'],
    ]) {
      expect(canMoveSubscription(from!, to!)).toBe(false);
    }
  });

  it('orders snapshots by event time, then paid_count, then current_end', () => {
    expect(compareSubscriptionSnapshots(clock(10), clock(9))).toBe('older');
    expect(compareSubscriptionSnapshots(clock(10), clock(11))).toBe('newer');
    expect(compareSubscriptionSnapshots(clock(10, 2), clock(10, 1))).toBe('older');
    expect(compareSubscriptionSnapshots(clock(null, 1, 100), clock(null, 1, 200))).toBe('newer');
    expect(compareSubscriptionSnapshots(clock(10), clock(10))).toBe('same');
  });

  it('never leaves a final status, ignores stale snapshots, and flags what it cannot place', () => {
    const decide = (
      current: SubscriptionStatus,
      incoming: SubscriptionStatus,
      cur = clock(10),
      inc = clock(11),
      authoritative = false,
    ) =>
      decideSubscription({
        current: { status: current, ...cur },
        incoming: { status: incoming, ...inc },
        authoritative,
      });
    expect(decide('cancelled', 'active')).toEqual({ kind: 'ignore', reason: 'final' });
    expect(decide('cancelled', 'active', clock(10), clock(11), true)).toEqual({
      kind: 'ignore',
      reason: 'final',
    });
    expect(decide('active', 'pending', clock(10), clock(9))).toEqual({ kind: 'ignore', reason: 'stale' });
    expect(decide('created', 'halted').kind).toBe('unplaceable');
    expect(decide('created', 'halted', clock(10), clock(11), true)).toEqual({ kind: 'apply' });
    expect(decide('active', 'active')).toEqual({ kind: 'apply' });
  });
});

describe('payment transitions', () => {
  it('moves forward only; failed may become authorized or captured, nothing returns to failed', () => {
    expect(canMovePayment('failed', 'captured')).toBe(true);
    expect(canMovePayment('failed', 'authorized')).toBe(true);
    expect(canMovePayment('captured', 'failed')).toBe(false);
    expect(canMovePayment('authorized', 'failed')).toBe(false);
    expect(canMovePayment('refunded', 'captured')).toBe(false);
    expect(mergePaymentStatus('captured', 'authorized')).toBe('captured');
    expect(mergePaymentStatus('authorized', 'captured')).toBe('captured');
  });

  it('keeps partial refunds as partial and full ones as full', () => {
    expect(refundStatusFor(1000, 0)).toBeNull();
    expect(refundStatusFor(1000, 400)).toBe('partial');
    expect(refundStatusFor(1000, 1000)).toBe('full');
  });
});

describe('refunds', () => {
  it('moves a refund from pending to processed or failed, and never out of either', () => {
    expect(mergeRefundStatus('pending', 'processed')).toBe('processed');
    expect(mergeRefundStatus('pending', 'failed')).toBe('failed');
    expect(mergeRefundStatus('failed', 'pending')).toBe('failed');
    expect(mergeRefundStatus('processed', 'failed')).toBe('processed');
    expect(mergeRefundStatus('failed', 'processed')).toBe('failed');
  });

  it("keeps Razorpay's figure for refunds we never saw, less the ones we know failed", () => {
    const paid = { status: 'captured' as PaymentStatus, amount: 1000, amountRefunded: 800 };
    expect(settleRefunds(paid, [{ amount: 300, status: 'processed' }])).toEqual({
      status: 'captured',
      amountRefunded: 800,
    });
    // A later refund seen before an earlier one: the payment already said refunded in full.
    expect(
      settleRefunds({ ...paid, status: 'refunded', amountRefunded: 1000 }, [
        { amount: 400, status: 'pending' },
      ]),
    ).toEqual({ status: 'refunded', amountRefunded: 1000 });
    expect(settleRefunds(paid, [{ amount: 500, status: 'failed' }])).toEqual({
      status: 'captured',
      amountRefunded: 300,
    });
  });

  it('counts only refunds that did not fail; a failed full refund leaves the payment captured', () => {
    const paid = { status: 'captured' as PaymentStatus, amount: 1000, amountRefunded: 0 };
    expect(settleRefunds(paid, [])).toEqual({ status: 'captured', amountRefunded: 0 });
    expect(
      settleRefunds({ ...paid, status: 'refunded', amountRefunded: 1000 }, [
        { amount: 1000, status: 'failed' },
      ]),
    ).toEqual({
      status: 'captured',
      amountRefunded: 0,
    });
    expect(
      settleRefunds(paid, [
        { amount: 300, status: 'processed' },
        { amount: 700, status: 'pending' },
      ]),
    ).toEqual({ status: 'refunded', amountRefunded: 1000 });
    expect(
      settleRefunds(paid, [
        { amount: 300, status: 'processed' },
        { amount: 700, status: 'failed' },
      ]),
    ).toEqual({ status: 'captured', amountRefunded: 300 });
  });
});
