import type { MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/adapters/db/schema.ts';
import { createHttpApp, type RouteModule } from '../../src/interfaces/http/app.ts';
import type { AppEnv, Caller } from '../../src/interfaces/http/env.ts';
import { blueprintsRoutes } from '../../src/interfaces/http/routes/blueprints.ts';
import { plansRoutes } from '../../src/interfaces/http/routes/plans.ts';
import { subscriptionsRoutes } from '../../src/interfaces/http/routes/subscriptions.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { createUser } from './seed.ts';

/** Test-only stand-in for the session middleware: `X-Test-User: <userId>` signs that user in. */
function testCaller(callers: Map<string, Caller>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = c.req.header('x-test-user');
    c.set('caller', (id && callers.get(id)) || null);
    await next();
  };
}

/** The HTTP app with the plans, subscriptions and blueprints routes, and a way to act as a user. */
export function billingApp(ctx: ServiceContext, db: Kysely<Database>, routes?: RouteModule[]) {
  const callers = new Map<string, Caller>();
  const app = createHttpApp({
    log: ctx.log,
    readiness: async () => ({ ok: true, checks: {} }),
    routes: routes ?? [plansRoutes(ctx), subscriptionsRoutes(ctx), blueprintsRoutes(ctx)],
    middleware: [testCaller(callers)],
  });
  /** Creates a profile and returns a requester signed in as it. */
  const user = async (email: string) => {
    const userId = await createUser(db, email);
    callers.set(userId, { userId, role: 'user', email });
    return asUser(userId);
  };
  const asUser = (userId: string | null) => ({
    userId: userId ?? '',
    request: async (path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> =>
      app.request(path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          'content-type': 'application/json',
          ...(userId ? { 'x-test-user': userId } : {}),
        },
        ...(init.body === undefined
          ? {}
          : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
      }),
  });
  return { app, user, anonymous: asUser(null) };
}
