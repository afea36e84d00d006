import type { Hono } from 'hono';
import { createLogger } from '../src/adapters/logger.ts';
import { signWebhookBody } from '../src/adapters/razorpay/signature.ts';
import { createHttpApp } from '../src/interfaces/http/app.ts';
import type { AppEnv } from '../src/interfaces/http/env.ts';
import { webhookRoutes } from '../src/interfaces/http/routes/webhooks.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { processInbox } from '../src/services/webhooks/process-inbox.ts';
import { type createTestContext, TEST_KEYS } from './support/context.ts';

type Harness = Awaited<ReturnType<typeof createTestContext>>;

/** The HTTP app with only the webhook routes, as main.ts mounts them. */
export function webhookApp(ctx: ServiceContext): Hono<AppEnv> {
  return createHttpApp({
    log: createLogger('silent'),
    readiness: async () => ({ ok: true, checks: {} }),
    routes: [webhookRoutes(ctx)],
  });
}

/** Creates the navigator monthly plan on the emulator through the gateway. */
export async function createNavigatorPlan(ctx: ServiceContext): Promise<string> {
  const plan = await ctx.gateway.createPlan({
    period: 'monthly',
    interval: 1,
    item: { name: 'Navigator monthly', amount: 349_900, currency: 'INR' },
    notes: { polaris_tier: 'navigator', polaris_cycle: 'monthly' },
  });
  if (!plan.ok) throw plan.error;
  return plan.value.id;
}

/** Creates a Razorpay subscription for one user, with checkout's notes, and pays it on the emulator. */
export async function subscribeAndPay(
  h: Harness,
  userId: string,
  planId: string,
  instrument: 'card_success' | 'card_failure' | 'upi_success' = 'card_success',
): Promise<string> {
  const sub = await h.ctx.gateway.createSubscription({
    planId,
    totalCount: 12,
    notes: { polaris_user_id: userId, polaris_tier: 'navigator', polaris_cycle: 'monthly' },
  });
  if (!sub.ok) throw sub.error;
  await emulatorControl(h, '/_emulator/checkout/complete', { subscription_id: sub.value.id, instrument });
  return sub.value.id;
}

/** POSTs to one of the emulator's control routes over HTTP. */
export async function emulatorControl(h: Harness, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${h.emulatorUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status >= 500) throw new Error(`emulator ${path}: ${JSON.stringify(json)}`);
  return json;
}

/** A delivery as Razorpay sends it: the exact body, its signature and the event id header. */
export function signed(event: { id: string; body: string }, secret: string) {
  return {
    body: event.body,
    headers: {
      'content-type': 'application/json',
      'x-razorpay-event-id': event.id,
      'x-razorpay-signature': signWebhookBody(event.body, secret),
    },
  };
}

/** POSTs a body to the webhook endpoint in-process. */
export function postWebhook(app: Hono<AppEnv>, body: string | Uint8Array, headers: Record<string, string>) {
  return app.request('/api/webhooks/razorpay', { method: 'POST', body, headers });
}

/**
 * Receives every delivery the emulator has made while Razorpay's API is down: each event needs a
 * fetch, fails, and (one attempt allowed) is parked as failed, ready for an operator's retry.
 */
export async function parkDeliveriesAsFailed(h: Harness): Promise<void> {
  const app = webhookApp(h.ctx);
  for (const e of h.emulator.events()) {
    const d = signed({ id: e.id, body: e.body }, TEST_KEYS.webhookSecret);
    const res = await postWebhook(app, d.body, d.headers);
    if (res.status !== 200) throw new Error(`delivery ${e.id} answered ${res.status}`);
  }
  await emulatorControl(h, '/_emulator/faults', { api_outage: { mode: 'error', duration_ms: 3_600_000 } });
  await processInbox({ ctx: h.ctx, input: { maxAttempts: 1 } });
  await emulatorControl(h, '/_emulator/faults', { api_outage: null });
}
