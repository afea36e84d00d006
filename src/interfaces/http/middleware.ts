import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../adapters/logger.ts';
import type { AppEnv } from './env.ts';
import { HEALTH_PATHS } from './routes/health.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Gives every request an id (a well-formed incoming X-Request-Id is kept) and a child logger, and logs it once done. */
export function requestContext(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const child = log.child({ requestId });
    c.set('requestId', requestId);
    c.set('log', child);
    c.set('caller', null);
    const started = performance.now();
    // Set before the handler runs, so responses are built with it instead of rebuilt to add it.
    c.header('X-Request-Id', requestId);
    await next();
    if (!c.res.headers.has('X-Request-Id')) c.header('X-Request-Id', requestId);
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const level = requestLevel(c.req.path, c.res.status);
    child[level]({ method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request');
  };
}

/** Probes poll health every few seconds: a passing check is debug, a failing one warn, the rest info. */
function requestLevel(path: string, status: number): 'debug' | 'info' | 'warn' {
  if (!HEALTH_PATHS.has(path)) return 'info';
  if (status >= 500) return 'warn';
  return status < 400 ? 'debug' : 'info';
}
