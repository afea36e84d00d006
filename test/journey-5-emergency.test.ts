import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  expectAccessible,
  expectNoHorizontalScroll,
  screenshot,
  screenshotOnFailure,
  signedInAdmin,
  signedInUser,
} from './support/browser.ts';
import { type Journey, startJourney } from './support/journey.ts';
import { waitFor } from './support/wait.ts';

const DIR = artifactsDir('journey-5-emergency');
// Every page someone may have open, by who can see it; a page not built on this branch answers
// 404 and is skipped (the lead's merge brings the rest, and this journey then covers them).
const VISITOR_PAGES = ['/pricing', '/sign-in', '/sign-up', '/forgot-password'];
const USER_PAGES = ['/pricing', '/account', '/blueprints'];
const ADMIN_PAGES = [
  '/admin',
  '/admin/flags',
  '/admin/webhooks',
  '/admin/incidents',
  '/admin/users',
  '/admin/audit',
  '/admin/db',
];
const write = (path: string, body: unknown) =>
  `fetch(${JSON.stringify(path)}, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: ${JSON.stringify(JSON.stringify(body))} }).then(async (r) => ({ status: r.status, code: (await r.json()).error?.code ?? null }))`;
const BLUEPRINT = write('/api/blueprints', { title: 'during the shutdown', content: {} });
const CHECKOUT = write('/api/subscriptions', { tier: 'navigator', cycle: 'monthly' });

/** The pages of `paths` that exist, each visited: whether it shows the maintenance banner. */
async function bannersOn(page: Page, base: string, paths: string[]): Promise<Record<string, boolean>> {
  const seen: Record<string, boolean> = {};
  for (const path of paths) {
    const res = await page.goto(`${base}${path}`);
    if (res?.status() === 404) continue;
    seen[path] = (await page.$('#banner-maintenance')) !== null;
  }
  return seen;
}

describe('journey 5: emergency shutdown from /admin/flags, and lifting it', () => {
  let j: Journey;
  let current: Page | undefined;

  beforeAll(async () => {
    j = await startJourney({ plans: true });
  });
  afterAll(async () => {
    await j?.close();
  });

  it('every page shows maintenance, writes are refused, /status shows the critical outage; lifting restores', async () => {
    const { database, t, served, browser } = j;
    screenshotOnFailure(() => current, DIR, 'journey-5');
    const visitor = await (await browser.newContext()).newPage();
    const user = await (await signedInUser(browser, served, 'j5-user@example.com')).newPage();
    const admin = await (await signedInAdmin(t.ctx, browser, served, 'j5-admin@example.com')).newPage();
    await user.goto(`${served.url}/pricing`);
    expect(await user.evaluate(BLUEPRINT)).toMatchObject({ status: 201 });

    current = admin;
    await admin.goto(`${served.url}/admin/flags`);
    // A wrong word does nothing.
    await admin.fill('#emergency-shutdown-reason', 'database corruption suspected');
    await admin.fill('#emergency-shutdown-confirm', 'shutdown');
    await admin.click('#emergency-shutdown-submit');
    expect(await admin.textContent('#error-message')).toContain('confirm: type SHUTDOWN to confirm');
    expect(await database.db.selectFrom('incidents').select('id').execute()).toEqual([]);
    await admin.goto(`${served.url}/admin/flags`);
    await admin.fill('#emergency-shutdown-reason', 'database corruption suspected');
    await admin.fill('#emergency-shutdown-message', 'We are checking our database; back soon.');
    await admin.fill('#emergency-shutdown-confirm', 'SHUTDOWN');
    await Promise.all([
      admin.waitForURL('**/admin/flags?done=shutdown'),
      admin.click('#emergency-shutdown-submit'),
    ]);
    expect(await admin.textContent('#notice')).toContain('Emergency shutdown');
    await expectAccessible(admin);

    const everywhere = async (expected: boolean) => {
      for (const [page, paths] of [
        [visitor, VISITOR_PAGES],
        [user, USER_PAGES],
        [admin, ADMIN_PAGES],
      ] as const) {
        current = page;
        const seen = await bannersOn(page, served.url, paths);
        expect(Object.keys(seen).length).toBeGreaterThan(0);
        expect(seen).toEqual(Object.fromEntries(Object.keys(seen).map((p) => [p, expected])));
      }
    };
    await everywhere(true);
    current = user;
    await user.goto(`${served.url}/pricing`);
    expect(await user.textContent('#banner-maintenance')).toContain(
      'We are checking our database; back soon.',
    );
    expect(await user.evaluate(BLUEPRINT)).toEqual({ status: 503, code: 'read_only' });
    expect(await user.evaluate(CHECKOUT)).toEqual({ status: 503, code: 'read_only' });
    await screenshot(user, DIR, '1-pricing-during-shutdown');

    current = visitor;
    const overall = async () => {
      await visitor.goto(`${served.url}/status`);
      return visitor.textContent('#overall');
    };
    await waitFor(
      async () => (await overall()) === 'Major System Outage',
      20_000,
      '/status to show the outage',
    );
    await screenshot(visitor, DIR, '2-status-during-shutdown');

    current = admin;
    await admin.goto(`${served.url}/admin`);
    expect(await admin.textContent('#open-incidents')).toContain(
      'Emergency shutdown: database corruption suspected',
    );
    await admin.goto(`${served.url}/admin/flags`);
    await admin.fill('#emergency-lift-reason', 'database verified clean');
    await admin.fill('#emergency-lift-confirm', 'LIFT');
    await Promise.all([admin.waitForURL('**/admin/flags?done=lift'), admin.click('#emergency-lift-submit')]);
    expect(await admin.textContent('#notice')).toContain('Emergency lifted');

    await everywhere(false);
    current = user;
    await user.goto(`${served.url}/pricing`);
    expect(await user.isEnabled('button[data-tier="navigator"]')).toBe(true);
    expect(await user.evaluate(BLUEPRINT)).toMatchObject({ status: 201 });
    // The incident stays open for a person to resolve once service is confirmed (lift-emergency.ts).
    current = admin;
    await admin.goto(`${served.url}/admin`);
    expect(await admin.textContent('#open-incidents')).toContain('Emergency shutdown');
    await admin.setViewportSize({ width: 360, height: 800 });
    for (const path of ['/admin', '/admin/flags', '/admin/webhooks']) {
      await admin.goto(`${served.url}${path}`);
      await expectNoHorizontalScroll(admin);
      await expectAccessible(admin);
    }
    await screenshot(admin, DIR, '3-admin-flags-after-lift-360');
  }, 240_000);
});
