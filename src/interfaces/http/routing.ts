import type { Handler, Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { errorResponse } from './errors.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Registers the handlers of one path and answers 405 with an Allow header for every other method. */
export function route(
  app: Hono<AppEnv>,
  path: string,
  handlers: Partial<Record<Method, Handler<AppEnv>>>,
): void {
  const allowed = Object.keys(handlers) as Method[];
  for (const method of allowed) app.on(method, path, handlers[method]!);
  if (allowed.includes('GET')) app.on('HEAD', path, handlers.GET!);
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])].join(', ');
  app.all(path, (c) =>
    errorResponse(c, 'method_not_allowed', `${c.req.method} is not allowed on ${path}`, { Allow: allow }),
  );
}
