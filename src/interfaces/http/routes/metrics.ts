import type { Metrics } from '../../../adapters/metrics/metrics.ts';
import { AppError } from '../../../domain/errors.ts';
import type { RouteModule } from '../app.ts';
import { clientAddress, isLoopback } from '../client-ip.ts';
import { route } from '../routing.ts';

/**
 * GET /metrics in Prometheus's text format. Production needs `Authorization: Bearer $ADMIN_TOKEN`
 * (or an admin session); elsewhere a loopback client needs nothing. Database trouble never fails
 * the scrape: the metrics read from it are left out and polaris_metrics_database_up says 0.
 */
export function metricsRoutes(metrics: Metrics, options: { production: boolean }): RouteModule {
  return (app) => {
    route(app, '/metrics', {
      GET: async (c) => {
        const open = !options.production && isLoopback(clientAddress(c));
        if (!open && c.get('caller')?.role !== 'admin') {
          throw new AppError('unauthorized', 'GET /metrics needs Authorization: Bearer $ADMIN_TOKEN');
        }
        c.header('Cache-Control', 'no-store');
        return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType });
      },
    });
  };
}
