import { Hono, type MiddlewareHandler } from 'hono';
import type { Logger } from '../../adapters/logger.ts';
import type { Readiness } from '../../services/health/check-readiness.ts';
import { bodyLimits } from './body-limit.ts';
import type { AppEnv } from './env.ts';
import { errorResponse, handleError } from './errors.ts';
import { requestContext } from './middleware.ts';
import { healthRoutes, type ReleaseInfo } from './routes/health.ts';

/** Registers one area's routes (health, auth, subscriptions, webhooks, ...). */
export type RouteModule = (app: Hono<AppEnv>) => void;

/** What the HTTP interface needs from the composition root. */
export type HttpDeps = {
  log: Logger;
  readiness: () => Promise<Readiness>;
  /** The build /api/health reports (version, commit, schema). */
  release?: () => ReleaseInfo;
  /** Sees every response, the body limit's 413 included (request metrics). */
  observe?: MiddlewareHandler<AppEnv>;
  /** Middleware run before every route (session resolution, kill switches), in order. */
  middleware?: MiddlewareHandler<AppEnv>[];
  routes?: RouteModule[];
};

/** The Hono application: routes, request ids, body limits, JSON errors, JSON 404 and 405. */
export function createHttpApp(deps: HttpDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requestContext(deps.log));
  if (deps.observe) app.use('*', deps.observe);
  app.use('*', bodyLimits(app));
  for (const middleware of deps.middleware ?? []) app.use('*', middleware);
  healthRoutes(app, deps.readiness, deps.release);
  for (const register of deps.routes ?? []) register(app);
  app.notFound((c) => errorResponse(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError(handleError);
  return app;
}
