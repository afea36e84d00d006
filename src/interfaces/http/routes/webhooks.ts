import type { Hono } from 'hono';
import type { ServiceContext } from '../../../services/context.ts';
import { getWebhookStatus } from '../../../services/webhooks/get-webhook-status.ts';
import { receiveWebhook } from '../../../services/webhooks/receive-webhook.ts';
import type { RouteModule } from '../app.ts';
import { allowBodyUpTo } from '../body-limit.ts';
import type { AppEnv } from '../env.ts';
import { errorResponse } from '../errors.ts';
import { route } from '../routing.ts';

/** Razorpay bodies are a few KiB; anything past this is refused before it is read whole. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** Options of the webhook routes: where to count rejected signatures (for alerts and /metrics). */
export type WebhookRouteOptions = { onSignatureRejected?: () => void };

/** POST /api/webhooks/razorpay (DESIGN §7 contract) and GET for its status (`{ ok }`, the counts for admins); `ctx` may be a provider. */
export function webhookRoutes(
  ctx: ServiceContext | (() => ServiceContext),
  options: WebhookRouteOptions = {},
): RouteModule {
  const context = typeof ctx === 'function' ? ctx : () => ctx;
  return (app: Hono<AppEnv>) => {
    allowBodyUpTo(app, '/api/webhooks/razorpay', WEBHOOK_BODY_LIMIT);
    route(app, '/api/webhooks/razorpay', {
      POST: async (c) => {
        // bodyLimits (app.ts) has already refused a body over WEBHOOK_BODY_LIMIT, declared or chunked.
        const body = new Uint8Array(await c.req.arrayBuffer());
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
        // The backlog and failure counts are operational detail: admins only (session or ADMIN_TOKEN).
        if (c.get('caller')?.role !== 'admin') return c.json({ ok: result.value.ok }, 200);
        return c.json(result.value, 200);
      },
    });
  };
}
