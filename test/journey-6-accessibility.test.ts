import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  expectAccessible,
  launchBrowser,
  screenshot,
  screenshotOnFailure,
} from './support/browser.ts';
import { createTestContext } from './support/context.ts';
import { migrateTestDatabase, openTestDatabase, type TestDatabase } from './support/databases.ts';
import { serveFullApp } from './support/full-app.ts';
import { preparePageTour, type TourStop } from './support/page-tour.ts';

const ARTIFACTS = artifactsDir('journey-6-accessibility');

describe('journey 6: axe-core finds no serious or critical violation on any page', () => {
  let database: TestDatabase;
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  let browser: Browser;
  let tour: Awaited<ReturnType<typeof preparePageTour>>;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await migrateTestDatabase(database.db);
    t = await createTestContext(database);
    served = await serveFullApp(t.ctx);
    browser = await launchBrowser();
    tour = await preparePageTour(t.ctx, browser, served, { width: 1280, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.close();
    await database?.close();
  });

  it('runs axe on every page, as a visitor, a subscriber and an admin, in normal mode and in maintenance', async () => {
    const visit = async (stop: TourStop, suffix: string) => {
      const page = await tour.contexts[stop.who].newPage();
      screenshotOnFailure(() => page, ARTIFACTS, `${stop.name}${suffix}`);
      const res = await page.goto(`${served.url}${stop.path}`);
      expect([stop.path, res?.status()]).toEqual([stop.path, stop.name === 'not-found' ? 404 : 200]);
      await expectAccessible(page);
      await page.close();
    };
    for (const stop of tour.stops) await visit(stop, '');
    const on = await served.app.request('/api/admin/flags/maintenance', {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${(await import('./support/accounts.ts')).TEST_AUTH.adminToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ state: 'on', reason: 'accessibility sweep', message: 'Upgrading the database' }),
    });
    expect([on.status, await on.text()]).toEqual([200, expect.stringContaining('maintenance')]);
    for (const stop of tour.stops.filter((s) =>
      ['pricing-user', 'account', 'blueprints', 'admin-flags'].includes(s.name),
    ))
      await visit(stop, '-maintenance');
    const page = await tour.contexts.user.newPage();
    await page.goto(`${served.url}/account`);
    await screenshot(page, ARTIFACTS, 'last-account-in-maintenance');
  }, 240_000);
});
