import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../../domain/errors.ts';
import { BillingCycle, Tier } from '../../../domain/plans.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { cancelSubscription } from '../../../services/subscriptions/cancel-subscription.ts';
import { getCurrentSubscription } from '../../../services/subscriptions/get-current-subscription.ts';
import { listPayments } from '../../../services/subscriptions/list-payments.ts';
import { startCheckout } from '../../../services/subscriptions/start-checkout.ts';
import { verifyCheckout } from '../../../services/subscriptions/verify-checkout.ts';
import type { RouteModule } from '../app.ts';
import type { AppEnv } from '../env.ts';
import { route } from '../routing.ts';
import { requireCaller } from '../session.ts';

const PRICE_FIELDS = new Set([
  'amount',
  'price',
  'plan_amount',
  'planAmount',
  'pricePaise',
  'plan_id',
  'planId',
]);

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const priced = issue.keys.filter((k) => PRICE_FIELDS.has(k));
    if (priced.length > 0) return `${priced.join(', ')}: not accepted; the server sets the plan and price`;
    return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
  }
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Reads a JSON body and validates it; anything else is a 400 naming the first problem. */
export async function jsonBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError('bad_request', 'the body is not valid JSON');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('bad_request', describeIssue(parsed.error.issues[0]!));
  return parsed.data;
}

/** Validates the query string (strings in, coerced by the schema). */
export function queryOf<S extends z.ZodType>(c: Context<AppEnv>, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new AppError('bad_request', describeIssue(parsed.error.issues[0]!));
  return parsed.data;
}

const CheckoutBody = z.strictObject({
  tier: Tier,
  cycle: BillingCycle,
  seats: z.number().int().min(1).optional(),
});
const VerifyBody = z.strictObject({
  razorpay_payment_id: z.string().regex(/^pay_[A-Za-z0-9]{1,40}$/, 'must be a Razorpay payment id'),
  razorpay_subscription_id: z.string().regex(/^sub_[A-Za-z0-9]{1,40}$/, 'must be a Razorpay subscription id'),
  razorpay_signature: z.string().min(1).max(128),
});
const CancelBody = z.strictObject({ atCycleEnd: z.boolean().default(true) });
const Page = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** Checkout, verification and cancellation, and the caller's own subscription and payments. */
export function subscriptionsRoutes(ctx: ServiceContext): RouteModule {
  return (app) => {
    route(app, '/api/subscriptions', {
      POST: async (c) => {
        const caller = requireCaller(c);
        const body = await jsonBody(c, CheckoutBody);
        const result = await startCheckout({ ctx, input: { userId: caller.userId, ...body } });
        return c.json(result, result.outcome === 'created' ? 201 : 200);
      },
    });
    route(app, '/api/subscriptions/verify', {
      POST: async (c) => {
        const caller = requireCaller(c);
        const body = await jsonBody(c, VerifyBody);
        const result = await verifyCheckout({
          ctx,
          input: {
            userId: caller.userId,
            razorpayPaymentId: body.razorpay_payment_id,
            razorpaySubscriptionId: body.razorpay_subscription_id,
            razorpaySignature: body.razorpay_signature,
          },
        });
        return c.json(result);
      },
    });
    route(app, '/api/subscriptions/cancel', {
      POST: async (c) => {
        const caller = requireCaller(c);
        const body = await jsonBody(c, CancelBody);
        return c.json({
          subscription: await cancelSubscription({ ctx, input: { userId: caller.userId, ...body } }),
        });
      },
    });
    route(app, '/api/subscriptions/current', {
      GET: async (c) => {
        const caller = requireCaller(c);
        c.header('Cache-Control', 'no-store');
        return c.json(await getCurrentSubscription({ ctx, input: { userId: caller.userId } }));
      },
    });
    route(app, '/api/payments', {
      GET: async (c) => {
        const caller = requireCaller(c);
        const page = queryOf(c, Page);
        c.header('Cache-Control', 'no-store');
        return c.json(await listPayments({ ctx, input: { userId: caller.userId, ...page } }));
      },
    });
  };
}
