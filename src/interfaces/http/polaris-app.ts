import type { Logger } from '../../adapters/logger.ts';
import type { RequestLogSink } from '../../domain/request-log.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { Readiness } from '../../services/health/check-readiness.ts';
import { webRoutes } from '../web/routes.tsx';
import { createHttpApp } from './app.ts';
import { sameOriginWrites } from './origin-check.ts';
import { requestLog } from './request-log.ts';
import { authRoutes } from './routes/auth.ts';
import { blueprintsRoutes } from './routes/blueprints.ts';
import { plansRoutes } from './routes/plans.ts';
import { subscriptionsRoutes } from './routes/subscriptions.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { sessionMiddleware } from './session.ts';

/**
 * The whole HTTP product: request log (when given a sink), CSRF check, session resolution and
 * every route module, as `polaris start` serves it.
 */
export function createPolarisApp(
  ctx: ServiceContext,
  options: {
    log: Logger;
    readiness: () => Promise<Readiness>;
    requestLog?: { sink: RequestLogSink; trustedProxies: readonly string[] } | undefined;
  },
) {
  const logged = options.requestLog
    ? [requestLog(options.requestLog.sink, options.requestLog.trustedProxies)]
    : [];
  return createHttpApp({
    log: options.log,
    readiness: options.readiness,
    middleware: [...logged, sameOriginWrites(ctx.settings.publicBaseUrl), sessionMiddleware(ctx)],
    routes: [
      authRoutes(ctx),
      plansRoutes(ctx),
      subscriptionsRoutes(ctx),
      blueprintsRoutes(ctx),
      webhookRoutes(ctx),
      webRoutes(ctx),
    ],
  });
}
