import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { authFailed, failure, plainError, reply, urlNotFound } from './api-error.ts';
import { createApiOutage } from './api-outage.ts';
import { completeCheckout } from './checkout-complete.ts';
import { checkoutRoutes } from './checkout-page.ts';
import { createClock, type EmulatorClock, systemTimers, type Timers } from './clock.ts';
import type { Ctx } from './context.ts';
import { controlRoutes } from './control-routes.ts';
import { createDispatcher } from './dispatcher.ts';
import { createEvent } from './events.ts';
import { base62Id } from './ids.ts';
import { createPersistence, loadSnapshot } from './persistence.ts';
import { runScenario } from './scenarios.ts';
import { advanceTo } from './schedule.ts';
import { clearState, createState, restoreState, serializeState } from './state.ts';
import { metaOf } from './subscription-billing.ts';
import { mountV1 } from './v1-routes.ts';
import { type ApiOutage, NO_WEBHOOK_FAULTS, type WebhookFaults } from './webhook-faults.ts';
import { registerWebhook } from './webhook-routes.ts';
import { createHttpSender, type Sender } from './webhook-sender.ts';

/** How to start an emulator. */
export type EmulatorOptions = {
  keyId: string;
  keySecret: string;
  /** `acc_` + 14 base62; generated when left out. */
  accountId?: string;
  /** A frozen start time in unix seconds (moved only by advanceClock), or a clock; default: wall time. */
  clock?: number | EmulatorClock;
  /** Real time runs this many times faster for webhook retries and the 24 h disable. Default 1. */
  webhookTimeScale?: number;
  /** Per-attempt delivery timeout in ms. Default 5000, as on Razorpay. */
  webhookTimeoutMs?: number;
  /** JSON file that keeps state across restarts. */
  statePath?: string;
  /** Endpoints registered at start (and again after a reset). */
  webhooks?: { url: string; secret: string; events?: string[] }[];
  /** Send `subscription.authenticated` for future-start subscriptions. Default true. */
  authenticatedEvent?: boolean;
  /** Refuse plan and quantity updates on card and UPI subscriptions, as Razorpay does. Default true. */
  restrictUpdates?: boolean;
  timers?: Timers;
  sender?: Sender;
  random?: () => number;
  /** With a wall clock, how often due renewals run while listening (ms). Default 1000. */
  tickMs?: number;
};

/** A running server started by `listen`. */
export type EmulatorServer = { url: string; port: number; close(): Promise<void> };

/** A stateful Razorpay emulator: REST under /v1, controls under /_emulator, signed webhooks. */
export function createEmulator(options: EmulatorOptions) {
  const timers = options.timers ?? systemTimers;
  const clock = typeof options.clock === 'object' ? options.clock : createClock(options.clock, timers.nowMs);
  const state = createState(options.accountId ?? `acc_${base62Id()}`);
  const snapshot = () => ({ version: 1 as const, clockOffset: clock.offset(), state: serializeState(state) });
  const persistence = options.statePath ? createPersistence(options.statePath, snapshot, timers) : null;
  const changed = () => persistence?.changed();
  const sender = options.sender ?? createHttpSender();
  const dispatcher = createDispatcher(state, {
    timers,
    timeScale: options.webhookTimeScale ?? 1,
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    send: sender,
    random: options.random ?? Math.random,
    now: () => clock.now(),
    changed,
  });
  const ctx: Ctx = {
    state,
    clock,
    config: {
      keyId: options.keyId,
      keySecret: options.keySecret,
      authenticatedEvent: options.authenticatedEvent ?? true,
      restrictUpdates: options.restrictUpdates ?? true,
    },
    emit(event, entities, contains) {
      const record = createEvent(state, clock.now(), event, entities, contains);
      dispatcher.enqueue(record);
      changed();
      return record;
    },
    changed,
  };
  // Startup endpoints are ensured, not duplicated, when persisted state already holds them.
  const registerStartupWebhooks = () => {
    for (const w of options.webhooks ?? []) {
      const known = [...state.webhooks.values()].some((e) => e.url === w.url && e.secret === w.secret);
      if (known) continue;
      const done = registerWebhook(ctx, w);
      if (!done.ok) throw new Error(`invalid webhook ${w.url}: ${done.error.body.error.description}`);
    }
  };
  const loaded = options.statePath ? loadSnapshot(options.statePath) : null;
  if (loaded) {
    restoreState(state, loaded.state);
    clock.restoreOffset(loaded.clockOffset);
    dispatcher.resumePending();
  }
  registerStartupWebhooks();

  const outage = createApiOutage(timers);
  const advance = (seconds: number) => {
    const jobs = advanceTo(ctx, clock.now() + Math.max(0, Math.floor(seconds)));
    changed();
    return { now: clock.now(), jobs };
  };
  const reset = () => {
    dispatcher.stop();
    dispatcher.setFaults({ ...NO_WEBHOOK_FAULTS });
    outage.stop();
    clearState(state);
    clock.restoreOffset(0);
    registerStartupWebhooks();
    changed();
  };
  const frozen = typeof options.clock === 'number';

  const app = new Hono();
  app.route('/v1', checkoutRoutes(ctx));
  app.use('/v1/*', outage.middleware);
  app.use('/v1/*', async (c, next) => {
    const expected = `Basic ${Buffer.from(`${options.keyId}:${options.keySecret}`).toString('base64')}`;
    if (c.req.header('authorization') !== expected) return reply(c, failure(authFailed()));
    if (!frozen) advanceTo(ctx, clock.now());
    return next();
  });
  mountV1(app, ctx);
  app.route('/_emulator', controlRoutes(ctx, { advance, reset, dispatcher, outage }));
  app.notFound((c) => reply(c, failure(urlNotFound())));
  app.onError((_err, c) =>
    reply(
      c,
      failure(
        plainError(
          500,
          'We are facing some trouble completing your request at the moment. Please try again shortly.',
          'SERVER_ERROR',
        ),
      ),
    ),
  );

  const servers = new Set<EmulatorServer>();
  return {
    app,
    ctx,
    /** Starts serving on loopback (port 0 picks a free port). */
    listen(port = 0, host = '127.0.0.1'): Promise<EmulatorServer> {
      return new Promise((resolve, reject) => {
        const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
          const tick = frozen ? null : setInterval(() => advanceTo(ctx, clock.now()), options.tickMs ?? 1000);
          tick?.unref();
          const handle: EmulatorServer = {
            url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
            port: info.port,
            close: () =>
              new Promise<void>((done) => {
                if (tick) clearInterval(tick);
                servers.delete(handle);
                server.close(() => done());
                (server as { closeAllConnections?: () => void }).closeAllConnections?.();
              }),
          };
          servers.add(handle);
          resolve(handle);
        });
        server.once('error', reject);
      });
    },
    /** Current emulated time (unix seconds). */
    now: () => clock.now(),
    /** Moves the test clock ahead, running every charge, retry, expiry and cancel that falls due, in order. */
    advanceClock: advance,
    /** Forgets all state, faults and deliveries; startup webhooks are registered again. */
    reset,
    /** Runs a scenario by name; unknown names and overrides are refused before anything happens. */
    triggerScenario: (name: string, overrides: unknown = {}) => runScenario(ctx, name, overrides),
    /** Pays an order or authorises a subscription, as the checkout page does. */
    completeCheckout: (input: { subscription_id?: string; order_id?: string; instrument?: string }) =>
      completeCheckout(ctx, input),
    /** Makes the next `count` charge attempts of a subscription fail. */
    failNextCharges(subscriptionId: string, count = 1): boolean {
      if (!state.subscriptions.has(subscriptionId)) return false;
      metaOf(ctx, subscriptionId).failNext = count;
      return true;
    },
    /** Makes the next `count` refunds of a payment fail (refund.created, then refund.failed). */
    failNextRefunds(paymentId: string, count = 1): boolean {
      if (!state.payments.has(paymentId)) return false;
      state.refundFailures.set(paymentId, count);
      return true;
    },
    /** Registers a webhook endpoint. */
    addWebhook: (w: { url: string; secret: string; events?: string[] }) => registerWebhook(ctx, w),
    setWebhookFaults: (faults: Partial<WebhookFaults>) =>
      dispatcher.setFaults({ ...dispatcher.getFaults(), ...faults }),
    startApiOutage: (o: ApiOutage) => outage.start(o),
    stopApiOutage: () => outage.stop(),
    /** Delivery log entries, oldest first. */
    deliveries: () => [...state.deliveries.values()],
    /** Events emitted, oldest first. */
    events: () => [...state.events.values()],
    /** Deliveries still waiting for success, retry or give-up. */
    pendingDeliveries: () => dispatcher.pendingCount(),
    /** Writes state to `statePath` now. */
    flush: () => persistence?.flush(),
    /** Stops servers, timers and the sender, and saves state. */
    async close(): Promise<void> {
      await Promise.all([...servers].map((s) => s.close()));
      dispatcher.stop();
      persistence?.flush();
      (sender as { close?: () => void }).close?.();
    },
  };
}

/** An emulator created by `createEmulator`. */
export type Emulator = ReturnType<typeof createEmulator>;
