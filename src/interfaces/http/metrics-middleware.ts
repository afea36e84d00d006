import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Metrics } from '../../adapters/metrics/metrics.ts';
import type { AppEnv } from './env.ts';
import { WEBHOOK_PATH } from './routes/webhooks.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route pattern a request matched ("/api/blueprints/:id"), or "unmatched": labels stay few
 * whatever paths clients send. Middleware (two parameters) and catch-all "/*" entries are skipped.
 */
export function routeLabel(c: Context<AppEnv>): string {
  const handler = matchedRoutes(c).findLast((r) => r.path !== '/*' && r.handler.length < 2);
  return handler?.path ?? 'unmatched';
}

/** Counts every response by method, route pattern and status, with its latency. */
export function observeRequests(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const route = routeLabel(c);
    const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER';
    metrics.observeRequest({
      method,
      route,
      status: c.res.status,
      seconds: (performance.now() - started) / 1000,
    });
    // The body limit refuses an oversized delivery before the webhook route can count it.
    if (route === WEBHOOK_PATH && method === 'POST' && c.res.status === 413)
      metrics.countWebhook('too_large');
  };
}
