import { signWebhookBody } from '../../src/adapters/razorpay/signature.ts';

/** One delivery's outcome: the HTTP status, or the network error's code when none came back. */
export type LoadResult = { id: string; status: number | string; at: number };

const envelope = (event: string, payload: Record<string, unknown>) => ({
  entity: 'event',
  account_id: 'acc_ChaosTest00001',
  event,
  contains: Object.keys(payload),
  payload,
  created_at: Math.floor(Date.now() / 1000),
});

// An event type Polaris stores as skipped: ingest only.
const dispute = (id: string) =>
  envelope('payment.dispute.created', { dispute: { entity: { id: `disp_${id}`, entity: 'dispute' } } });

// A one-time payment with no invoice: the worker stores it in its own transaction, no Razorpay call.
const captured = (id: string) =>
  envelope('payment.captured', {
    payment: {
      entity: {
        id: `pay_${id}`,
        entity: 'payment',
        amount: 50_000,
        currency: 'INR',
        status: 'captured',
        order_id: null,
        invoice_id: null,
        method: 'upi',
        amount_refunded: 0,
        error_code: null,
        error_description: null,
        created_at: Math.floor(Date.now() / 1000),
      },
    },
  });

/**
 * Sends signed webhook deliveries from `concurrency` loops until stopped: an event type Polaris
 * stores as skipped, and every `capturedEvery`-th one a payment the worker applies. Every event id
 * is new, so each 200 must leave exactly one stored row.
 */
export function webhookLoad(options: {
  url: string;
  secret: string;
  concurrency: number;
  prefix: string;
  capturedEvery?: number;
}) {
  const results: LoadResult[] = [];
  let running = true;
  let sent = 0;
  const loop = async () => {
    while (running) {
      const n = sent++;
      const id = `${options.prefix}${String(n).padStart(10, '0')}`;
      const body = JSON.stringify(
        options.capturedEvery && n % options.capturedEvery === 0 ? captured(id) : dispute(id),
      );
      try {
        const res = await fetch(options.url, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'x-razorpay-event-id': id,
            'x-razorpay-signature': signWebhookBody(body, options.secret),
          },
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        results.push({ id, status: res.status, at: Date.now() });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        results.push({ id, status: cause?.code ?? (error as Error).name, at: Date.now() });
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };
  const loops = Array.from({ length: options.concurrency }, loop);
  return {
    results,
    /** Stops sending and waits for the deliveries in flight. */
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
