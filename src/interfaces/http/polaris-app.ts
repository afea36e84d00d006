import type { Logger } from '../../adapters/logger.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { Readiness } from '../../services/health/check-readiness.ts';
import { webRoutes } from '../web/routes.tsx';
import { createHttpApp } from './app.ts';
import { sameOriginWrites } from './origin-check.ts';
import { adminFlagsRoutes } from './routes/admin-flags.ts';
import { authRoutes } from './routes/auth.ts';
import { blueprintsRoutes } from './routes/blueprints.ts';
import { plansRoutes } from './routes/plans.ts';
import { subscriptionsRoutes } from './routes/subscriptions.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { sessionMiddleware } from './session.ts';

/** The whole HTTP product: CSRF check, session resolution and every route module, as `polaris start` serves it. */
export function createPolarisApp(
  ctx: ServiceContext,
  options: { log: Logger; readiness: () => Promise<Readiness> },
) {
  return createHttpApp({
    log: options.log,
    readiness: options.readiness,
    middleware: [sameOriginWrites(ctx.settings.publicBaseUrl), sessionMiddleware(ctx)],
    routes: [
      authRoutes(ctx),
      plansRoutes(ctx),
      subscriptionsRoutes(ctx),
      blueprintsRoutes(ctx),
      webhookRoutes(ctx),
      adminFlagsRoutes(ctx),
      webRoutes(ctx),
    ],
  });
}
