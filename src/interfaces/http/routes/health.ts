import type { Hono } from 'hono';
import type { Readiness } from '../../../services/health/check-readiness.ts';
import type { AppEnv } from '../env.ts';
import { route } from '../routing.ts';

const LIVENESS = '/api/health';
const READINESS = '/api/health/ready';

/** The paths probes poll; the request log keeps them out of the info level while they succeed. */
export const HEALTH_PATHS: ReadonlySet<string> = new Set([LIVENESS, READINESS]);

/** What liveness says about the running build; the schema is the last migration applied at start. */
export type ReleaseInfo = { version: string; commit: string | null; schema: string | null };

const UNKNOWN_RELEASE: ReleaseInfo = { version: 'unknown', commit: null, schema: null };

/**
 * GET /api/health (liveness: 200 while the process serves, with version, commit and schema, never
 * touching the database) and GET /api/health/ready (200 or 503 per check).
 */
export function healthRoutes(
  app: Hono<AppEnv>,
  readiness: () => Promise<Readiness>,
  release: () => ReleaseInfo = () => UNKNOWN_RELEASE,
): void {
  route(app, LIVENESS, { GET: (c) => c.json({ ok: true, status: 'alive', ...release() }) });
  route(app, READINESS, {
    GET: async (c) => {
      const result = await readiness();
      c.header('Cache-Control', 'no-store');
      return c.json(result, result.ok ? 200 : 503);
    },
  });
}
