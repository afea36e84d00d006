import type { Hono } from 'hono';
import type { Readiness } from '../../../services/health/check-readiness.ts';
import type { AppEnv } from '../env.ts';
import { route } from '../routing.ts';

const LIVENESS = '/api/health';
const READINESS = '/api/health/ready';

/** The paths probes poll; the request log keeps them out of the info level while they succeed. */
export const HEALTH_PATHS: ReadonlySet<string> = new Set([LIVENESS, READINESS]);

/** GET /api/health (liveness: 200 while the process serves) and GET /api/health/ready (200 or 503 per check). */
export function healthRoutes(app: Hono<AppEnv>, readiness: () => Promise<Readiness>): void {
  route(app, LIVENESS, { GET: (c) => c.json({ ok: true, status: 'alive' }) });
  route(app, READINESS, {
    GET: async (c) => {
      const result = await readiness();
      c.header('Cache-Control', 'no-store');
      return c.json(result, result.ok ? 200 : 503);
    },
  });
}
