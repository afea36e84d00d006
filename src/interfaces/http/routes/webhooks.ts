import type { Hono } from 'hono';
import type { WebhookOutcome } from '../../../adapters/metrics/metrics.ts';
import { AppError } from '../../../domain/errors.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { getWebhookStatus } from '../../../services/webhooks/get-webhook-status.ts';
import { receiveWebhook } from '../../../services/webhooks/receive-webhook.ts';
import type { RouteModule } from '../app.ts';
import { allowBodyUpTo } from '../body-limit.ts';
import type { AppEnv } from '../env.ts';
import { route } from '../routing.ts';

/** Razorpay bodies are a few KiB; anything past this is refused before it is read whole. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** The path Razorpay delivers to. */
export const WEBHOOK_PATH = '/api/webhooks/razorpay';

/**
 * POST /api/webhooks/razorpay (DESIGN §7 contract) and GET for its status (`{ ok }`, the counts for
 * admins). `observe` hears each delivery's outcome (metrics); a body refused as too large never
 * reaches this route.
 */
export function webhookRoutes(
  ctx: ServiceContext,
  observe: (outcome: WebhookOutcome) => void = () => {},
): RouteModule {
  return (app: Hono<AppEnv>) => {
    allowBodyUpTo(app, WEBHOOK_PATH, WEBHOOK_BODY_LIMIT);
    route(app, WEBHOOK_PATH, {
      POST: async (c) => {
        // The body limit (app.ts) has already refused a body over WEBHOOK_BODY_LIMIT, declared or chunked.
        const signature = c.req.header('x-razorpay-signature') ?? null;
        const receipt = await receiveWebhook({
          ctx,
          input: {
            body: new Uint8Array(await c.req.arrayBuffer()),
            signature,
            eventId: c.req.header('x-razorpay-event-id') ?? null,
            ip: c.req.header('x-forwarded-for') ?? undefined,
          },
        }).catch((error: unknown) => {
          observe(failedOutcome(error, signature !== null));
          throw error;
        });
        observe(receipt.duplicate ? 'duplicate' : 'stored');
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

function failedOutcome(error: unknown, signed: boolean): WebhookOutcome {
  if (!(error instanceof AppError)) return 'unavailable';
  if (error.code === 'unauthorized' || (error.code === 'bad_request' && !signed)) return 'bad_signature';
  return error.code === 'bad_request' ? 'malformed' : 'unavailable';
}
