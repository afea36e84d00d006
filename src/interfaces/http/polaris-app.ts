import type { Logger } from '../../adapters/logger.ts';
import type { Metrics } from '../../adapters/metrics/metrics.ts';
import type { RequestLogSink } from '../../domain/request-log.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { Readiness } from '../../services/health/check-readiness.ts';
import { webRoutes } from '../web/routes.tsx';
import { createHttpApp } from './app.ts';
import { flagGuard } from './flag-guard.ts';
import { observeRequests } from './metrics-middleware.ts';
import { sameOriginWrites } from './origin-check.ts';
import { requestLog } from './request-log.ts';
import { adminFlagsRoutes } from './routes/admin-flags.ts';
import { adminIncidentsRoutes } from './routes/admin-incidents.ts';
import { adminMaintenanceRoutes } from './routes/admin-maintenance.ts';
import { adminReportsRoutes } from './routes/admin-reports.ts';
import { authRoutes } from './routes/auth.ts';
import { blueprintsRoutes } from './routes/blueprints.ts';
import { type CronOptions, cronRoutes } from './routes/cron.ts';
import type { ReleaseInfo } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { notifySubscriptionRoutes } from './routes/notify-subscriptions.tsx';
import { plansRoutes } from './routes/plans.ts';
import { PUBLIC_STATUS_PATHS, statusRoutes } from './routes/status.ts';
import { subscriptionsRoutes } from './routes/subscriptions.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { sessionMiddleware } from './session.ts';

/** What the product app takes from the composition root beside the service context. */
export type PolarisAppOptions = {
  log: Logger;
  readiness: () => Promise<Readiness>;
  /** The build /api/health reports. */
  release?: () => ReleaseInfo;
  /** This process's metrics: GET /metrics, request and webhook counts. */
  metrics: Metrics;
  /** The scheduler's tick (/api/cron/tick). */
  cron: CronOptions;
  /** Where the request log goes (one row per API request); none in tests that do not need it. */
  requestLog?: { sink: RequestLogSink; trustedProxies: readonly string[] } | undefined;
};

/**
 * The whole HTTP product: request log (when given a sink), CSRF check, session resolution, the
 * kill switches and every route module, as `polaris start` and the Vercel entry serve it.
 */
export function createPolarisApp(ctx: ServiceContext, options: PolarisAppOptions) {
  const { metrics } = options;
  const session = sessionMiddleware(ctx);
  const logged = options.requestLog
    ? [requestLog(options.requestLog.sink, options.requestLog.trustedProxies)]
    : [];
  return createHttpApp({
    log: options.log,
    readiness: options.readiness,
    release: options.release,
    observe: observeRequests(metrics),
    middleware: [
      ...logged,
      sameOriginWrites(ctx.settings.publicBaseUrl),
      // The public status page answers from memory whoever asks, even with the database down.
      (c, next) => (PUBLIC_STATUS_PATHS.has(c.req.path) ? next() : session(c, next)),
      flagGuard(ctx),
    ],
    routes: [
      authRoutes(ctx),
      plansRoutes(ctx),
      subscriptionsRoutes(ctx),
      blueprintsRoutes(ctx),
      webhookRoutes(ctx, (outcome) => metrics.countWebhook(outcome)),
      cronRoutes(ctx, options.cron),
      metricsRoutes(metrics, { production: ctx.settings.env === 'production' }),
      adminFlagsRoutes(ctx),
      adminIncidentsRoutes(ctx),
      adminMaintenanceRoutes(ctx),
      statusRoutes(ctx),
      adminReportsRoutes(ctx),
      notifySubscriptionRoutes(ctx),
      webRoutes(ctx),
    ],
  });
}
