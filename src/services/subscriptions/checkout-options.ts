import type { Subscription } from '../../adapters/db/schema.ts';
import { planFor, Tier } from '../../domain/plans.ts';
import { present } from '../../domain/present.ts';
import type { ServiceContext } from '../context.ts';

/** What the browser hands to Razorpay Checkout (plus where to post its result). */
export type CheckoutOptions = {
  key: string;
  subscription_id: string;
  name: string;
  description: string;
  prefill: { email: string };
  notes: Record<string, string>;
  /** The handler posts checkout's three fields here, signed in. */
  callback: { url: string; method: 'POST'; fields: string[] };
  checkoutScriptUrl: string;
  /** For display only; Razorpay charges the plan's amount × quantity whatever the page shows. */
  amount: number;
  currency: string;
};

/** Builds Checkout options for one of our rows that Razorpay knows. */
export function checkoutOptions(ctx: ServiceContext, row: Subscription, email: string): CheckoutOptions {
  const tier = Tier.parse(row.subscription_tier);
  const plan = planFor(tier);
  const seats = plan.perSeat ? `, ${row.seats} seat${row.seats === 1 ? '' : 's'}` : '';
  return {
    key: ctx.settings.razorpayKeyId,
    subscription_id: present(row.razorpay_subscription_id, 'the Razorpay id of a checkout'),
    name: 'SmartSlate Polaris',
    description: `${plan.name} plan, billed ${row.billing_cycle}${seats}`,
    prefill: { email },
    notes: { polaris_subscription_id: row.subscription_id },
    callback: {
      url: new URL('/api/subscriptions/verify', ctx.settings.publicBaseUrl).toString(),
      method: 'POST',
      fields: ['razorpay_payment_id', 'razorpay_subscription_id', 'razorpay_signature'],
    },
    checkoutScriptUrl: ctx.settings.checkoutScriptUrl,
    amount: row.plan_amount,
    currency: row.currency,
  };
}
