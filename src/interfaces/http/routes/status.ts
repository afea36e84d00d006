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

// Browsers and CDNs may keep a fresh answer a few seconds and fall back to it if we fail; one
// being reread or stale is rechecked at once, so two caches in a row never add up to minutes.
// Widgets on other sites read the JSON and the feed (Statuspage allows any origin).
function cacheHeaders(c: Context<AppEnv>, view: StatusView, crossOrigin: boolean) {
  c.header('Cache-Control', view.fresh ? 'public, max-age=5, stale-if-error=86400' : 'public, no-cache');
  if (view.snapshot) c.header('Last-Modified', view.snapshot.asOf.toUTCString());
  if (crossOrigin) c.header('Access-Control-Allow-Origin', '*');
}

/**
 * Renders each answer once per snapshot (and staleness): requests between two reads send the same
 * bytes, so the page's cost does not grow with its traffic.
 */
function renderer() {
  let snapshot: StatusView['snapshot'] | undefined;
  let done = new Map<string, string>();
  return (view: StatusView, path: string, render: () => string): string => {
    if (view.snapshot !== snapshot) {
      snapshot = view.snapshot;
      done = new Map();
    }
    const key = `${path}\n${view.stale?.reason ?? ''}`;
    let body = done.get(key);
    if (body === undefined) {
      body = render();
      done.set(key, body);
    }
    return body;
  };
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
  const rendered = renderer();
  return (app) => {
    const answer = (path: string, type: string, crossOrigin: boolean, render: (view: StatusView) => string) =>
      route(app, path, {
        GET: async (c) => {
          const view = await cache.current();
          cacheHeaders(c, view, crossOrigin);
          return c.body(
            rendered(view, path, () => render(view)),
            200,
            { 'Content-Type': type },
          );
        },
      });
    answer(PAGE, 'text/html; charset=UTF-8', false, (view) => `<!doctype html>${StatusPage({ view })}`);
    answer(FEED, 'application/atom+xml; charset=utf-8', true, (view) => statusAtom(view, base));
    for (const [path, shape] of Object.entries(JSON_PATHS))
      answer(path, 'application/json', true, (view) => JSON.stringify(shape(view, base)));
  };
}
