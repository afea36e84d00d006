import type { MiddlewareHandler } from 'hono';
import { loggablePath, type RequestLogSink } from '../../domain/request-log.ts';
import { MODES_PATH } from '../web/pricing-api.ts';
import { clientIp, trustedProxyList } from './client-ip.ts';
import type { AppEnv } from './env.ts';
import { HEALTH_PATHS } from './routes/health.ts';
import { PUBLIC_STATUS_PATHS } from './routes/status.ts';

/**
 * Hands one entry per API request to the sink after the response is built. Registered before the
 * session middleware, it still sees the caller that one sets. Health probes and status and mode polls are not user traffic.
 */
export function requestLog(
  sink: RequestLogSink,
  trustedProxies: readonly string[],
): MiddlewareHandler<AppEnv> {
  const trusted = trustedProxyList(trustedProxies);
  return async (c, next) => {
    const started = performance.now();
    await next();
    const path = c.req.path;
    if (
      !path.startsWith('/api/') ||
      HEALTH_PATHS.has(path) ||
      PUBLIC_STATUS_PATHS.has(path) ||
      path === MODES_PATH
    )
      return;
    sink.record({
      userId: c.get('caller')?.userId ?? null,
      method: c.req.method,
      path: loggablePath(path),
      status: c.res.status,
      ip: clientIp(c, trusted),
      userAgent: c.req.header('user-agent') ?? null,
      durationMs: performance.now() - started,
      requestId: c.get('requestId'),
      at: new Date(),
    });
  };
}
