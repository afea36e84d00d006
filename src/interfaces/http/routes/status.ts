import type { Context } from 'hono';
import type { ServiceContext } from '../../../services/context.ts';
import {
  createStatusCache,
  type StatusCache,
  type StatusView,
} from '../../../services/status/status-cache.ts';
import { StatusPage } from '../../web/status-page.tsx';
import type { RouteModule } from '../app.ts';
import type { AppEnv } from '../env.ts';
import { route } from '../routing.ts';
import { statusAtom } from './status-feed.ts';
import { incidentsJson, maintenancesJson, statusJson, summaryJson } from './status-shapes.ts';

const JSON_PATHS = {
  '/api/v2/summary.json': summaryJson,
  '/api/v2/status.json': statusJson,
  '/api/v2/incidents.json': incidentsJson,
  '/api/v2/scheduled-maintenances.json': maintenancesJson,
} as const;
const PAGE = '/status';
const FEED = '/status/feed.atom';

/** The public status paths: read by anyone, from memory, never from the caller's session. */
export const PUBLIC_STATUS_PATHS: ReadonlySet<string> = new Set([PAGE, FEED, ...Object.keys(JSON_PATHS)]);

// Browsers and CDNs may keep a live answer briefly and fall back to it if we fail; a stale one is
// rechecked soon. Widgets on other sites read the JSON and the feed (Statuspage allows any origin).
function cacheHeaders(c: Context<AppEnv>, view: StatusView, crossOrigin: boolean) {
  c.header(
    'Cache-Control',
    view.stale ? 'public, max-age=5' : 'public, max-age=10, stale-while-revalidate=30, stale-if-error=86400',
  );
  if (view.snapshot) c.header('Last-Modified', view.snapshot.asOf.toUTCString());
  if (crossOrigin) c.header('Access-Control-Allow-Origin', '*');
}

/**
 * GET /status (the page), /status/feed.atom and Statuspage's /api/v2 JSON, all served from the
 * status cache: the last known state, marked stale, while the database is slow or down.
 */
export function statusRoutes(
  ctx: ServiceContext,
  cache: StatusCache = createStatusCache({ ctx }),
): RouteModule {
  const base = ctx.settings.publicBaseUrl;
  return (app) => {
    route(app, PAGE, {
      GET: async (c) => {
        const view = await cache.current();
        cacheHeaders(c, view, false);
        return c.html(`<!doctype html>${StatusPage({ view })}`);
      },
    });
    route(app, FEED, {
      GET: async (c) => {
        const view = await cache.current();
        cacheHeaders(c, view, true);
        return c.body(statusAtom(view, base), 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
      },
    });
    for (const [path, shape] of Object.entries(JSON_PATHS)) {
      route(app, path, {
        GET: async (c) => {
          const view = await cache.current();
          cacheHeaders(c, view, true);
          return c.json(shape(view, base));
        },
      });
    }
  };
}
