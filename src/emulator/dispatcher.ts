import { signWebhookBody } from '../adapters/razorpay/signature.ts';
import type { Timers } from './clock.ts';
import { base62Id } from './ids.ts';
import { attemptOffsetMs, disableAfterMs } from './retry-ladder.ts';
import type { Delivery, EventRecord, State, WebhookEndpoint } from './state.ts';
import { NO_WEBHOOK_FAULTS, type WebhookFaults } from './webhook-faults.ts';
import type { Sender } from './webhook-sender.ts';

/** How deliveries are timed and sent. */
export type DispatcherOptions = {
  timers: Timers;
  /** Real time runs this many times faster for the retry ladder and the 24 h disable (1 = real). */
  timeScale: number;
  /** Per-attempt timeout; Razorpay's is 5 s. */
  timeoutMs: number;
  send: Sender;
  random: () => number;
  now: () => number;
  changed: () => void;
};

const MAX_IN_FLIGHT_PER_ENDPOINT = 64;

/** Delivers events to webhook endpoints: signed, retried on Razorpay's ladder, with fault knobs. */
export function createDispatcher(state: State, opts: DispatcherOptions) {
  let faults: WebhookFaults = { ...NO_WEBHOOK_FAULTS };
  const timers = new Map<string, unknown>();
  const inFlight = new Map<string, number>();
  const waiting = new Map<string, Delivery[]>();
  let reorderBuffer: Delivery[] = [];
  let reorderTimer: unknown = null;

  const schedule = (d: Delivery, atMs: number) => {
    d.next_attempt_ms = atMs;
    const old = timers.get(d.id);
    if (old !== undefined) opts.timers.clearTimeout(old);
    const wait = Math.max(0, Math.ceil(atMs - opts.timers.nowMs()));
    timers.set(
      d.id,
      opts.timers.setTimeout(() => {
        timers.delete(d.id);
        start(d);
      }, wait),
    );
  };

  const start = (d: Delivery) => {
    if (d.status !== 'pending') return;
    const busy = inFlight.get(d.webhook_id) ?? 0;
    if (busy >= MAX_IN_FLIGHT_PER_ENDPOINT) {
      const queue = waiting.get(d.webhook_id) ?? [];
      queue.push(d);
      waiting.set(d.webhook_id, queue);
      return;
    }
    inFlight.set(d.webhook_id, busy + 1);
    void attempt(d).finally(() => {
      inFlight.set(d.webhook_id, (inFlight.get(d.webhook_id) ?? 1) - 1);
      const next = waiting.get(d.webhook_id)?.shift();
      if (next) start(next);
    });
  };

  const disable = (endpoint: WebhookEndpoint) => {
    endpoint.active = false;
    endpoint.disabled_at = opts.now();
    for (const other of state.deliveries.values()) {
      if (other.webhook_id !== endpoint.id || other.status !== 'pending') continue;
      other.status = 'failed';
      other.next_attempt_ms = null;
      const t = timers.get(other.id);
      if (t !== undefined) opts.timers.clearTimeout(t);
      timers.delete(other.id);
    }
  };

  const afterFailure = (d: Delivery, endpoint: WebhookEndpoint) => {
    const next = attemptOffsetMs(d.attempts.length, opts.timeScale);
    const nowMs = opts.timers.nowMs();
    if (next !== null) {
      schedule(d, Math.max(nowMs, d.created_ms + next));
      return;
    }
    // Ladder used up: the endpoint is disabled once 24 h (scaled) have passed since the event.
    const at = d.created_ms + disableAfterMs(opts.timeScale);
    d.next_attempt_ms = null;
    const fire = () => {
      if (d.status !== 'pending') return;
      d.status = 'failed';
      disable(endpoint);
      opts.changed();
    };
    if (at <= nowMs) fire();
    else timers.set(d.id, opts.timers.setTimeout(fire, at - nowMs));
  };

  const attempt = async (d: Delivery) => {
    const endpoint = state.webhooks.get(d.webhook_id);
    const event = state.events.get(d.event_id);
    if (!endpoint?.active || !event) {
      d.status = 'failed';
      d.next_attempt_ms = null;
      return;
    }
    const startedMs = opts.timers.nowMs();
    if (d.attempts.length < faults.fail_first) {
      d.attempts.push({
        at_ms: startedMs,
        status: null,
        error: 'injected failure',
        duration_ms: 0,
        fault: 'fail_first',
      });
      afterFailure(d, endpoint);
      opts.changed();
      return;
    }
    const body = Buffer.from(event.body);
    const outcome = await opts.send(endpoint.url, body, headersFor(event, body, d.secret), opts.timeoutMs);
    d.attempts.push({
      at_ms: startedMs,
      status: outcome.status,
      error: outcome.error,
      duration_ms: Math.round(opts.timers.nowMs() - startedMs),
    });
    const ok =
      outcome.error === null && outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    if (ok) {
      d.status = 'delivered';
      d.next_attempt_ms = null;
    } else if (d.status === 'pending') afterFailure(d, endpoint);
    opts.changed();
  };

  const begin = (deliveries: Delivery[]) => {
    const nowMs = opts.timers.nowMs();
    for (const d of deliveries) schedule(d, nowMs + faults.delay_ms);
  };

  const queue = (deliveries: Delivery[]) => {
    if (faults.reorder_window_ms <= 0) return begin(deliveries);
    reorderBuffer.push(...deliveries);
    if (reorderTimer !== null) return;
    reorderTimer = opts.timers.setTimeout(() => {
      const batch = reorderBuffer.reverse();
      reorderBuffer = [];
      reorderTimer = null;
      begin(batch);
    }, faults.reorder_window_ms);
  };

  const newDelivery = (event: EventRecord, endpoint: WebhookEndpoint, replay: boolean): Delivery => {
    const d: Delivery = {
      id: base62Id(),
      event_id: event.id,
      webhook_id: endpoint.id,
      secret: endpoint.secret,
      status: 'pending',
      replay,
      created_ms: opts.timers.nowMs(),
      next_attempt_ms: null,
      attempts: [],
    };
    state.deliveries.set(d.id, d);
    return d;
  };

  return {
    /** Creates the deliveries of a new event (same event id to every endpoint) and starts them. */
    enqueue(event: EventRecord): void {
      const created: Delivery[] = [];
      for (const endpoint of state.webhooks.values()) {
        if (!endpoint.active || (endpoint.events && !endpoint.events.includes(event.event))) continue;
        for (let copy = 0; copy < faults.duplicate; copy++) {
          const d = newDelivery(event, endpoint, false);
          if (opts.random() < faults.drop) d.status = 'dropped';
          else created.push(d);
        }
      }
      queue(created);
    },
    /** Sends events again with each endpoint's current secret, re-enabling disabled endpoints. */
    replay(events: EventRecord[], webhookIds?: string[]): Delivery[] {
      const created: Delivery[] = [];
      for (const endpoint of state.webhooks.values()) {
        if (webhookIds && !webhookIds.includes(endpoint.id)) continue;
        endpoint.active = true;
        endpoint.disabled_at = null;
        for (const event of events) {
          if (endpoint.events && !endpoint.events.includes(event.event)) continue;
          created.push(newDelivery(event, endpoint, true));
        }
      }
      begin(created);
      return created;
    },
    /** Restarts deliveries left pending by a previous process. */
    resumePending(): void {
      begin([...state.deliveries.values()].filter((d) => d.status === 'pending'));
    },
    getFaults: (): WebhookFaults => ({ ...faults }),
    setFaults(next: WebhookFaults): void {
      faults = { ...next };
    },
    /** Deliveries not yet delivered, failed or dropped. */
    pendingCount: () => [...state.deliveries.values()].filter((d) => d.status === 'pending').length,
    /** Cancels every timer (reset and shutdown). */
    stop(): void {
      for (const t of timers.values()) opts.timers.clearTimeout(t);
      timers.clear();
      if (reorderTimer !== null) opts.timers.clearTimeout(reorderTimer);
      reorderTimer = null;
      reorderBuffer = [];
      waiting.clear();
    },
  };
}

/** The dispatcher's public face. */
export type Dispatcher = ReturnType<typeof createDispatcher>;

/** Razorpay's delivery headers; `Request-Id` repeats the event id, as in real deliveries. */
export function headersFor(event: EventRecord, body: Buffer, secret: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Razorpay-Webhook/v1',
    'accept-encoding': 'gzip',
    'request-id': event.id,
    'x-razorpay-event-id': event.id,
    'x-razorpay-signature': signWebhookBody(body, secret),
  };
}
