import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../../domain/errors.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { confirmStatusSubscription } from '../../../services/notifications/confirm-status-subscription.ts';
import { subscribeToStatus } from '../../../services/notifications/subscribe-to-status.ts';
import { unsubscribeFromStatus } from '../../../services/notifications/unsubscribe-from-status.ts';
import { SubscriptionPage } from '../../web/subscription-pages.tsx';
import type { RouteModule } from '../app.ts';
import type { AppEnv } from '../env.ts';
import { codeToStatus } from '../errors.ts';
import { route } from '../routing.ts';
import { jsonBody } from '../validate.ts';

const SubscribeBody = z.strictObject({ email: z.string() });
const SENT =
  'If this address is not subscribed yet, a confirmation mail is on its way: open its link to start the updates.';

const isJson = (c: Context<AppEnv>) => (c.req.header('content-type') ?? '').includes('application/json');

/**
 * An expected refusal as a page for a browser; a database that is down stays the JSON 503 with
 * Retry-After of every route (the error handler answers it).
 */
async function page(
  c: Context<AppEnv>,
  work: () => Promise<{ title: string; message: string; status?: 200 | 202 }>,
) {
  try {
    const { status, ...text } = await work();
    c.header('Cache-Control', 'no-store');
    return c.html(<SubscriptionPage {...text} />, status ?? 200);
  } catch (error) {
    if (!(error instanceof AppError) || codeToStatus[error.code] >= 500 || error.code === 'rate_limited')
      throw error;
    return c.html(
      <SubscriptionPage title="That did not work" message={error.message} />,
      codeToStatus[error.code],
    );
  }
}

async function emailOf(c: Context<AppEnv>): Promise<string | undefined> {
  if (isJson(c)) return (await jsonBody(c, SubscribeBody)).email;
  return new URLSearchParams(await c.req.text()).get('email') ?? undefined;
}

/**
 * The status page's email subscriptions: POST /status/subscribe (a form or JSON), then the mailed
 * links GET /status/confirm?token= and GET /status/unsubscribe?token= (and POST, RFC 8058's one click).
 */
export function notifySubscriptionRoutes(ctx: ServiceContext): RouteModule {
  return (app) => {
    route(app, '/status/subscribe', {
      POST: async (c) => {
        if (isJson(c)) {
          await subscribeToStatus({ ctx, input: { email: await emailOf(c) } });
          return c.json({ message: SENT }, 202);
        }
        return page(c, async () => {
          await subscribeToStatus({ ctx, input: { email: await emailOf(c) } });
          return { title: 'Check your inbox', message: SENT, status: 202 };
        });
      },
    });
    route(app, '/status/confirm', {
      GET: (c) =>
        page(c, async () => {
          const done = await confirmStatusSubscription({ ctx, input: { token: c.req.query('token') } });
          return {
            title: 'Subscribed',
            message: `${done.email} will get an email for each update on the status page. Every mail has a link to stop them.`,
          };
        }),
    });
    const unsubscribe = (c: Context<AppEnv>) =>
      page(c, async () => {
        const done = await unsubscribeFromStatus({ ctx, input: { token: c.req.query('token') } });
        return { title: 'Unsubscribed', message: `${done.email} will get no more status updates.` };
      });
    route(app, '/status/unsubscribe', { GET: unsubscribe, POST: unsubscribe });
  };
}
