import { z } from 'zod';
import { type ApiResult, badRequest, failure, success } from './api-error.ts';
import { completeCheckout } from './checkout-complete.ts';
import type { Ctx } from './context.ts';
import { createOrder } from './orders.ts';
import { createPlan } from './plans.ts';
import { createRefund } from './refunds.ts';
import { advanceTo } from './schedule.ts';
import { metaOf } from './subscription-billing.ts';
import { createSubscription } from './subscriptions.ts';
import type { Subscription } from './types.ts';

const subscriptionOverrides = {
  amount: z.number().int().min(100).default(159_900),
  period: z.enum(['daily', 'weekly', 'monthly', 'quarterly', 'yearly']).default('monthly'),
  total_count: z.number().int().min(2).default(12),
  quantity: z.number().int().min(1).default(1),
  instrument: z.enum(['card_success', 'upi_success']).default('card_success'),
};

/** Each scenario's overrides; anything else is refused before the scenario starts. */
export const SCENARIOS = {
  'subscription-activated': z.strictObject(subscriptionOverrides),
  renewal: z.strictObject({ ...subscriptionOverrides, cycles: z.number().int().min(1).max(24).default(1) }),
  'renewal-failed-until-halted': z.strictObject(subscriptionOverrides),
  refund: z
    .strictObject({
      amount: z.number().int().min(100).default(159_900),
      refund_amount: z.number().int().min(100).optional(),
    })
    .refine((o) => o.refund_amount === undefined || o.refund_amount <= o.amount, {
      message: 'refund_amount must not exceed amount',
      path: ['refund_amount'],
    }),
  'payment-failed': z.strictObject({ amount: z.number().int().min(100).default(159_900) }),
} as const;

/** Scenario names, as `polaris emulator trigger <name>` takes them. */
export type ScenarioName = keyof typeof SCENARIOS;

/** What a scenario made: the ids it created and the events it emitted, in order. */
export type ScenarioResult = {
  scenario: ScenarioName;
  ids: Record<string, string>;
  events: { id: string; event: string }[];
};

function must<T>(result: ApiResult<T>): T {
  // Scenario inputs are validated up front, so an operation failing here is a bug.
  if (!result.ok) throw new Error(`scenario step failed: ${result.error.body.error.description}`);
  return result.value;
}

type SubscriptionOverrides = z.infer<z.ZodObject<typeof subscriptionOverrides>>;

function activeSubscription(ctx: Ctx, o: SubscriptionOverrides): Subscription {
  const plan = must(
    createPlan(ctx, {
      period: o.period,
      interval: o.period === 'daily' ? 7 : 1,
      item: { name: `Scenario plan ${o.amount}`, amount: o.amount, currency: 'INR' },
      notes: { scenario: 'true' },
    }),
  );
  const sub = must(
    createSubscription(ctx, { plan_id: plan.id, total_count: o.total_count, quantity: o.quantity }, ''),
  );
  must(completeCheckout(ctx, { subscription_id: sub.id, instrument: o.instrument }));
  return sub;
}

/** Runs a named scenario with overrides, making real state and real signed webhooks. */
export function runScenario(ctx: Ctx, name: string, overrides: unknown = {}): ApiResult<ScenarioResult> {
  if (!Object.hasOwn(SCENARIOS, name)) {
    return failure(
      badRequest(`Unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`, 'scenario'),
    );
  }
  const scenario = name as ScenarioName;
  const parsed = SCENARIOS[scenario].safeParse(overrides ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const detail =
      issue?.code === 'unrecognized_keys' ? `unknown override ${issue.keys.join(', ')}` : issue?.message;
    return failure(
      badRequest(`Invalid overrides for ${scenario}: ${detail}`, String(issue?.path[0] ?? 'overrides')),
    );
  }
  const before = new Set(ctx.state.events.keys());
  const ids: Record<string, string> = {};
  const o = parsed.data as { amount: number; refund_amount?: number; cycles?: number };
  if (scenario === 'refund' || scenario === 'payment-failed') {
    const order = must(
      createOrder(ctx, { amount: o.amount, currency: 'INR', receipt: `scenario-${scenario}` }),
    );
    ids.order_id = order.id;
    const paid = completeCheckout(ctx, {
      order_id: order.id,
      instrument: scenario === 'refund' ? 'card_success' : 'card_failure',
    });
    const paymentId = paid.ok
      ? paid.value.razorpay_payment_id
      : String(paid.error.body.error.metadata.payment_id);
    ids.payment_id = paymentId;
    if (scenario === 'refund') {
      const amount = o.refund_amount;
      ids.refund_id = must(createRefund(ctx, paymentId, amount === undefined ? {} : { amount })).id;
    }
  } else {
    const sub = activeSubscription(ctx, parsed.data as unknown as SubscriptionOverrides);
    ids.subscription_id = sub.id;
    ids.plan_id = sub.plan_id;
    if (scenario === 'renewal') {
      for (let i = 0; i < (o.cycles ?? 1); i++) advanceTo(ctx, sub.charge_at ?? ctx.clock.now());
    }
    if (scenario === 'renewal-failed-until-halted') {
      metaOf(ctx, sub.id).failNext = 4;
      while (sub.status !== 'halted' && sub.charge_at !== null) advanceTo(ctx, sub.charge_at);
    }
  }
  const events = [...ctx.state.events.values()]
    .filter((e) => !before.has(e.id))
    .map((e) => ({ id: e.id, event: e.event }));
  return success({ scenario, ids, events });
}
