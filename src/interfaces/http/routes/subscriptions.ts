import { z } from 'zod';
import { BillingCycle, Tier } from '../../../domain/plans.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { cancelSubscription } from '../../../services/subscriptions/cancel-subscription.ts';
import { getCurrentSubscription } from '../../../services/subscriptions/get-current-subscription.ts';
import { listPayments } from '../../../services/subscriptions/list-payments.ts';
import { startCheckout } from '../../../services/subscriptions/start-checkout.ts';
import { verifyCheckout } from '../../../services/subscriptions/verify-checkout.ts';
import type { RouteModule } from '../app.ts';
import { route } from '../routing.ts';
import { requireCaller } from '../session.ts';
import { jsonBody, Page, queryOf } from '../validate.ts';

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

/** Checkout, verification and cancellation, and the caller's own subscription and payments. */
export function subscriptionsRoutes(ctx: ServiceContext): RouteModule {
  return (app) => {
    route(app, '/api/subscriptions', {
      POST: async (c) => {
        const caller = requireCaller(c);
        const body = await jsonBody(c, CheckoutBody);
        const result = await startCheckout({
          ctx,
          input: { userId: caller.userId, ...body, flags: c.get('flags') },
        });
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
