import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type ApiResult, reply, success } from './api-error.ts';
import { readBody, readQuery } from './body.ts';
import { listWith } from './collection.ts';
import type { Ctx } from './context.ts';
import { cancelSubscription, pauseSubscription, resumeSubscription } from './subscription-actions.ts';
import {
  cancelScheduledChanges,
  retrieveScheduledChanges,
  updateSubscription,
} from './subscription-update.ts';
import { createSubscription, fetchSubscription } from './subscriptions.ts';
import type { Subscription } from './types.ts';

// Razorpay's documented create, pause and resume responses have no customer_id; fetches and
// webhook events do.
function withoutCustomer(result: ApiResult<Subscription>): ApiResult<Omit<Subscription, 'customer_id'>> {
  if (!result.ok) return result;
  const { customer_id: _omitted, ...rest } = result.value;
  return success(rest);
}

/** Routes for /v1/subscriptions. */
export function subscriptionRoutes(ctx: Ctx): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    const body = await readBody(c);
    return reply(
      c,
      body.ok ? withoutCustomer(createSubscription(ctx, body.value, new URL(c.req.url).origin)) : body,
    );
  });
  app.get('/', (c) =>
    reply(
      c,
      listWith(readQuery(c), { plan_id: z.string().optional() }, (q) =>
        [...ctx.state.subscriptions.values()].filter(
          (s) => q.plan_id === undefined || s.plan_id === q.plan_id,
        ),
      ),
    ),
  );
  app.get('/:id', (c) => reply(c, fetchSubscription(ctx, c.req.param('id'))));
  app.patch('/:id', async (c) => {
    const body = await readBody(c);
    return reply(c, body.ok ? updateSubscription(ctx, c.req.param('id'), body.value) : body);
  });
  const action =
    (fn: typeof cancelSubscription, omitCustomer = false) =>
    async (c: Context) => {
      const body = await readBody(c);
      if (!body.ok) return reply(c, body);
      const result = fn(ctx, c.req.param('id') ?? '', body.value);
      return reply(c, omitCustomer ? withoutCustomer(result) : result);
    };
  app.post('/:id/cancel', action(cancelSubscription));
  app.post('/:id/pause', action(pauseSubscription, true));
  app.post('/:id/resume', action(resumeSubscription, true));
  app.get('/:id/retrieve_scheduled_changes', (c) =>
    reply(c, retrieveScheduledChanges(ctx, c.req.param('id'))),
  );
  app.post('/:id/cancel_scheduled_changes', (c) => reply(c, cancelScheduledChanges(ctx, c.req.param('id'))));
  return app;
}
