import type { Kysely } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';
import { processInbox } from '../../src/services/webhooks/process-inbox.ts';
import { postJson } from './accounts.ts';
import type { createTestContext } from './context.ts';

type TestContext = Awaited<ReturnType<typeof createTestContext>>;

/** A JSON client of a served app, sending a browser's Origin and whatever session cookie is current. */
export function apiClient(baseUrl: () => string, cookie: () => string) {
  return async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${baseUrl()}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000', cookie: cookie() },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read the API's JSON loosely and assert its shape.
    const body = (await res.json().catch(() => null)) as Record<string, any>;
    return { status: res.status, body, res };
  };
}

/**
 * Waits until the emulator has delivered every webhook, then processes the inbox until it is
 * empty; throws when an event was parked as failed.
 */
export async function settleWebhooks(t: TestContext, db: Kysely<Database>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (t.emulator.deliveries().some((d) => d.status === 'pending')) {
    if (Date.now() > deadline) throw new Error('webhook deliveries did not settle');
    await new Promise((r) => setTimeout(r, 20));
  }
  for (let i = 0; i < 50; i++) {
    const result = await processInbox({ ctx: t.ctx, input: { backoffMs: 0 } });
    if (result.claimed === 0) break;
  }
  const failed = await db
    .selectFrom('razorpay_webhook_events')
    .select(['event_type', 'error_message'])
    .where('processing_status', '=', 'failed')
    .execute();
  if (failed.length > 0) throw new Error(`webhook events failed: ${JSON.stringify(failed)}`);
}

/**
 * Starts checkout for `body` through the API as the user of `cookie` (on an app that answers like
 * `postJson`'s), pays it on the emulator's checkout with a good card and verifies it: active.
 */
export async function subscribeAndPay(
  app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> },
  emulatorUrl: string,
  cookie: string,
  body: { tier: string; cycle: 'monthly' | 'yearly'; seats?: number },
): Promise<{ rzpId: string }> {
  const checkout = await postJson(app, '/api/subscriptions', body, cookie);
  if (checkout.status !== 201)
    throw new Error(`checkout answered ${checkout.status}: ${await checkout.text()}`);
  const rzpId = ((await checkout.json()) as { checkout: { subscription_id: string } }).checkout
    .subscription_id;
  const paid = await fetch(`${emulatorUrl}/_emulator/checkout/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subscription_id: rzpId, instrument: 'card_success' }),
  });
  const verified = await postJson(app, '/api/subscriptions/verify', await paid.json(), cookie);
  if (verified.status !== 200)
    throw new Error(`verify answered ${verified.status}: ${await verified.text()}`);
  return { rzpId };
}
