import type { Browser, BrowserContext } from 'playwright-core';
import type { ServiceContext } from '../../src/services/context.ts';
import { postJson, signUp, TEST_AUTH } from './accounts.ts';
import { contextWithCookie, signedInAdmin } from './browser.ts';

type Served = {
  app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> };
  url: string;
};

/** One page of the tour: who looks at it and where. */
export type TourStop = { name: string; who: 'visitor' | 'user' | 'admin'; path: string };

/**
 * Every page of the product with something on it: a user with a blueprint, an admin, an open
 * incident. Returns the stops and a browser context per role (each at `viewport`).
 */
export async function preparePageTour(
  ctx: ServiceContext,
  browser: Browser,
  served: Served,
  viewport: { width: number; height: number },
): Promise<{ stops: TourStop[]; contexts: Record<TourStop['who'], BrowserContext> }> {
  const { cookie } = await signUp(served.app, 'tour-user@example.com');
  const made = await postJson(
    served.app,
    '/api/blueprints',
    { title: 'Onboarding plan', content: { weeks: 4 } },
    cookie,
  );
  if (made.status !== 201) throw new Error(`blueprint for the tour: ${made.status} ${await made.text()}`);
  const blueprint = ((await made.json()) as { id: string }).id;
  const incident = await served.app.request('/api/admin/incidents', {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_AUTH.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ severity: 'medium', type: 'payment', title: 'Slow card confirmations' }),
  });
  if (incident.status !== 201)
    throw new Error(`incident for the tour: ${incident.status} ${await incident.text()}`);
  const incidentId = ((await incident.json()) as { incident: { id: string } }).incident.id;
  const contexts = {
    visitor: await browser.newContext({ viewport }),
    user: await contextWithCookie(browser, served.url, cookie, { viewport }),
    admin: await signedInAdmin(ctx, browser, served, 'tour-admin@example.com', { viewport }),
  };
  const stops: TourStop[] = [
    { name: 'pricing-visitor', who: 'visitor', path: '/pricing' },
    { name: 'sign-up', who: 'visitor', path: '/sign-up' },
    { name: 'sign-in', who: 'visitor', path: '/sign-in' },
    { name: 'forgot-password', who: 'visitor', path: '/forgot-password' },
    { name: 'reset-password', who: 'visitor', path: '/reset-password?token=not-a-real-token' },
    { name: 'status', who: 'visitor', path: '/status' },
    { name: 'not-found', who: 'visitor', path: '/no-such-page' },
    { name: 'pricing-user', who: 'user', path: '/pricing' },
    { name: 'account', who: 'user', path: '/account' },
    { name: 'blueprints', who: 'user', path: '/blueprints' },
    { name: 'blueprint', who: 'user', path: `/blueprints/${blueprint}` },
    { name: 'admin-overview', who: 'admin', path: '/admin' },
    { name: 'admin-webhooks', who: 'admin', path: '/admin/webhooks' },
    { name: 'admin-flags', who: 'admin', path: '/admin/flags' },
    { name: 'admin-incidents', who: 'admin', path: '/admin/incidents' },
    { name: 'admin-incident', who: 'admin', path: `/admin/incidents/${incidentId}` },
    { name: 'admin-users', who: 'admin', path: '/admin/users' },
    { name: 'admin-audit', who: 'admin', path: '/admin/audit' },
    { name: 'admin-db', who: 'admin', path: '/admin/db' },
  ];
  return { stops, contexts };
}
