import type { Logger } from '../../adapters/logger.ts';
import type { Readiness } from '../../services/health/check-readiness.ts';
import { createHttpApp } from './app.ts';
import { errorResponse } from './errors.ts';
import type { ReleaseInfo } from './routes/health.ts';

const STARTING: Readiness = { ok: false, checks: { database: { ok: false, detail: 'starting' } } };

/**
 * What the port serves while the database opens and migrates: liveness, readiness 503 "starting",
 * and 503 with Retry-After for every other request, so Razorpay retries a webhook that arrives
 * in that window instead of taking a 404 for an answer.
 */
export function createStartingApp(log: Logger, release?: ReleaseInfo) {
  return createHttpApp({
    log,
    readiness: async () => STARTING,
    ...(release ? { release: () => release } : {}),
    routes: [
      (app) => {
        app.all('*', (c) =>
          errorResponse(c, 'unavailable', 'Polaris is starting; retry shortly', { 'Retry-After': '2' }),
        );
      },
    ],
  });
}
