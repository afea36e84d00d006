import type { Subscription } from '../../adapters/db/schema.ts';

/** A subscription as its owner sees it (amounts in paise). */
export type SubscriptionView = {
  subscriptionId: string;
  razorpaySubscriptionId: string | null;
  tier: string;
  cycle: 'monthly' | 'yearly';
  seats: number;
  status: string;
  amount: number;
  currency: string;
  currentStart: string | null;
  currentEnd: string | null;
  /** When Razorpay next charges (or retries) the card; null when no charge is scheduled. */
  chargeAt: string | null;
  cancelAtCycleEnd: boolean;
  /** Razorpay's hosted page of the subscription (pay a failed renewal with another card). */
  shortUrl: string | null;
  createdAt: string;
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Maps a row to its public shape. */
export function toSubscriptionView(row: Subscription): SubscriptionView {
  return {
    subscriptionId: row.subscription_id,
    razorpaySubscriptionId: row.razorpay_subscription_id,
    tier: row.subscription_tier,
    cycle: row.billing_cycle,
    seats: row.seats,
    status: row.status,
    amount: row.plan_amount,
    currency: row.currency,
    currentStart: iso(row.current_start),
    currentEnd: iso(row.current_end),
    chargeAt: iso(row.charge_at),
    cancelAtCycleEnd: row.cancel_at_cycle_end,
    shortUrl: row.short_url,
    createdAt: row.created_at.toISOString(),
  };
}
