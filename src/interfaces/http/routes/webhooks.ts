import type { Context, Hono } from 'hono';
import type { ServiceContext } from '../../../services/context.ts';
import { getWebhookStatus } from '../../../services/webhooks/get-webhook-status.ts';
import { receiveWebhook } from '../../../services/webhooks/receive-webhook.ts';
import type { RouteModule } from '../app.ts';
import type { AppEnv } from '../env.ts';
import { errorResponse } from '../errors.ts';
import { route } from '../routing.ts';

/** Razorpay bodies are a few KiB; anything past this is refused before it is read whole. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** Options of the webhook routes: where to count rejected signatures (for alerts and /metrics). */
export type WebhookRouteOptions = { onSignatureRejected?: () => void };

/** POST /api/webhooks/razorpay (DESIGN §7 contract) and GET for its status; `ctx` may be a provider. */
export function webhookRoutes(
  ctx: ServiceContext | (() => ServiceContext),
  options: WebhookRouteOptions = {},
): RouteModule {
  const context = typeof ctx === 'function' ? ctx : () => ctx;
  return (app: Hono<AppEnv>) => {
    route(app, '/api/webhooks/razorpay', {
      POST: async (c) => {
        const body = await readLimited(c);
        if (body === 'too_large') {
          return errorResponse(c, 'payload_too_large', `webhook body exceeds ${WEBHOOK_BODY_LIMIT} bytes`);
        }
        const result = await receiveWebhook({
          ctx: context(),
          input: {
            body,
            signature: c.req.header('x-razorpay-signature') ?? null,
            eventId: c.req.header('x-razorpay-event-id') ?? null,
            ip: c.req.header('x-forwarded-for') ?? undefined,
          },
        });
        if (!result.ok) {
          if (result.error.code === 'unauthorized') options.onSignatureRejected?.();
          return errorResponse(c, result.error.code, result.error.message);
        }
        return c.json({ ok: true, duplicate: result.value.duplicate, status: result.value.status }, 200);
      },
      GET: async (c) => {
        const result = await getWebhookStatus({ ctx: context() });
        c.header('Cache-Control', 'no-store');
        if (!result.ok) return errorResponse(c, result.error.code, result.error.message);
        return c.json(result.value, 200);
      },
    });
  };
}

// Reads the raw bytes, stopping as soon as the limit is passed. A declared length within the limit
// is read whole (the HTTP parser holds the body to it, and the server reads it without a stream);
// a chunked body is streamed and cut off at the limit.
async function readLimited(c: Context<AppEnv>): Promise<Uint8Array | 'too_large'> {
  const length = c.req.header('content-length');
  const declared = length === undefined ? Number.NaN : Number(length);
  if (Number.isFinite(declared) && declared > WEBHOOK_BODY_LIMIT) return 'too_large';
  if (Number.isFinite(declared)) return new Uint8Array(await c.req.arrayBuffer());
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > WEBHOOK_BODY_LIMIT) {
      await reader.cancel().catch(() => {});
      return 'too_large';
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
