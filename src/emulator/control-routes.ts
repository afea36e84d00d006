import { Hono } from 'hono';
import { z } from 'zod';
import { badRequest, failure, idNotFound, reply, success } from './api-error.ts';
import type { ApiOutageControl } from './api-outage.ts';
import { readBody } from './body.ts';
import { completeCheckout } from './checkout-complete.ts';
import type { Ctx } from './context.ts';
import type { Dispatcher } from './dispatcher.ts';
import { parseDuration } from './duration.ts';
import { runScenario, SCENARIOS } from './scenarios.ts';
import { metaOf } from './subscription-billing.ts';
import { intish, validate } from './validate.ts';
import { ApiOutage, WebhookFaults } from './webhook-faults.ts';
import { webhookRoutes } from './webhook-routes.ts';

const advanceBody = z.strictObject({
  seconds: intish().pipe(z.number().min(0)).optional(),
  duration: z.string().optional(),
});
const failChargesBody = z.strictObject({ count: intish().pipe(z.number().min(0).max(100)).default(1) });
const faultsBody = z.strictObject({
  webhooks: WebhookFaults.partial().optional(),
  api_outage: ApiOutage.nullable().optional(),
});

/** What the control routes drive besides state: the clock, deliveries, outages and reset. */
export type ControlHooks = {
  advance(seconds: number): { now: number; jobs: number };
  reset(): void;
  dispatcher: Dispatcher;
  outage: ApiOutageControl;
};

/** Routes under /_emulator: never used by production code. */
export function controlRoutes(ctx: Ctx, hooks: ControlHooks): Hono {
  const app = new Hono();
  app.get('/', (c) =>
    c.json({
      key_id: ctx.config.keyId,
      account_id: ctx.state.accountId,
      now: ctx.clock.now(),
      scenarios: Object.keys(SCENARIOS),
    }),
  );
  app.get('/clock', (c) => c.json({ now: ctx.clock.now() }));
  app.post('/clock/advance', async (c) => {
    const body = await readBody(c);
    const parsed = body.ok ? validate(advanceBody, body.value) : body;
    if (!parsed.ok) return reply(c, parsed);
    const seconds =
      parsed.value.seconds ?? (parsed.value.duration ? parseDuration(parsed.value.duration) : null);
    if (seconds === null)
      return reply(c, failure(badRequest('Give seconds, or a duration such as 31d.', 'seconds')));
    return c.json(hooks.advance(seconds));
  });
  // Failure knobs: the next `count` charges of a subscription, or refunds of a payment, fail.
  const failNext = (
    path: string,
    key: string,
    known: (id: string) => boolean,
    set: (id: string, n: number) => void,
  ) =>
    app.post(path, async (c) => {
      const id = c.req.param('id') ?? '';
      if (!known(id)) return reply(c, failure(idNotFound()));
      const body = await readBody(c);
      const parsed = body.ok ? validate(failChargesBody, body.value) : body;
      if (!parsed.ok) return reply(c, parsed);
      set(id, parsed.value.count);
      ctx.changed();
      return c.json({ [key]: id, fail_next: parsed.value.count });
    });
  failNext(
    '/subscriptions/:id/fail-charges',
    'subscription_id',
    (id) => ctx.state.subscriptions.has(id),
    (id, n) => {
      metaOf(ctx, id).failNext = n;
    },
  );
  failNext(
    '/payments/:id/fail-refunds',
    'payment_id',
    (id) => ctx.state.payments.has(id),
    (id, n) => ctx.state.refundFailures.set(id, n),
  );
  app.post('/checkout/complete', async (c) => {
    const body = await readBody(c);
    return reply(c, body.ok ? completeCheckout(ctx, body.value) : body);
  });
  app.post('/reset', (c) => {
    hooks.reset();
    return c.json({ reset: true, now: ctx.clock.now() });
  });
  app.get('/scenarios', (c) => c.json({ scenarios: Object.keys(SCENARIOS) }));
  app.post('/scenarios/:name', async (c) => {
    const body = await readBody(c);
    return reply(c, body.ok ? runScenario(ctx, c.req.param('name'), body.value) : body);
  });
  app.get('/events', (c) => {
    const name = c.req.query('event');
    const items = [...ctx.state.events.values()]
      .filter((e) => !name || e.event === name)
      .map((e) => ({
        id: e.id,
        event: e.event,
        created_at: e.created_at,
        body: JSON.parse(e.body) as unknown,
      }));
    return c.json({ entity: 'collection', count: items.length, items });
  });
  app.get('/faults', (c) =>
    c.json({ webhooks: hooks.dispatcher.getFaults(), api_outage: hooks.outage.status() }),
  );
  app.post('/faults', async (c) => {
    const body = await readBody(c);
    const parsed = body.ok ? validate(faultsBody, body.value) : body;
    if (!parsed.ok) return reply(c, parsed);
    if (parsed.value.webhooks) {
      hooks.dispatcher.setFaults(
        WebhookFaults.parse({ ...hooks.dispatcher.getFaults(), ...parsed.value.webhooks }),
      );
    }
    if (parsed.value.api_outage === null) hooks.outage.stop();
    else if (parsed.value.api_outage) hooks.outage.start(parsed.value.api_outage);
    return reply(c, success({ webhooks: hooks.dispatcher.getFaults(), api_outage: hooks.outage.status() }));
  });
  app.route('/webhooks', webhookRoutes(ctx, hooks.dispatcher));
  return app;
}
