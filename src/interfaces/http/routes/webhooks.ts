import type { Hono } from 'hono';
import type { ServiceContext } from '../../../services/context.ts';
import { getWebhookStatus } from '../../../services/webhooks/get-webhook-status.ts';
import { receiveWebhook } from '../../../services/webhooks/receive-webhook.ts';
import type { RouteModule } from '../app.ts';
import { allowBodyUpTo } from '../body-limit.ts';
import type { AppEnv } from '../env.ts';
import { route } from '../routing.ts';

/** Razorpay bodies are a few KiB; anything past this is refused before it is read whole. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** POST /api/webhooks/razorpay (DESIGN §7 contract) and GET for its status (`{ ok }`, the counts for admins). */
export function webhookRoutes(ctx: ServiceContext): RouteModule {
  return (app: Hono<AppEnv>) => {
    allowBodyUpTo(app, '/api/webhooks/razorpay', WEBHOOK_BODY_LIMIT);
    route(app, '/api/webhooks/razorpay', {
      POST: async (c) => {
        // The body limit (app.ts) has already refused a body over WEBHOOK_BODY_LIMIT, declared or chunked.
        const receipt = await receiveWebhook({
          ctx,
          input: {
            body: new Uint8Array(await c.req.arrayBuffer()),
            signature: c.req.header('x-razorpay-signature') ?? null,
            eventId: c.req.header('x-razorpay-event-id') ?? null,
            ip: c.req.header('x-forwarded-for') ?? undefined,
          },
        });
        return c.json({ ok: true, duplicate: receipt.duplicate, status: receipt.status }, 200);
      },
      GET: async (c) => {
        const status = await getWebhookStatus({ ctx });
        c.header('Cache-Control', 'no-store');
        // The backlog and failure counts are operational detail: admins only (session or ADMIN_TOKEN).
        if (c.get('caller')?.role !== 'admin') return c.json({ ok: status.ok }, 200);
        return c.json(status, 200);
      },
    });
  };
}
