import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  expectNoHorizontalScroll,
  launchBrowser,
  screenshot,
  screenshotOnFailure,
} from './support/browser.ts';
import { createTestContext } from './support/context.ts';
import { migrateTestDatabase, openTestDatabase, type TestDatabase } from './support/databases.ts';
import { serveFullApp } from './support/full-app.ts';
import { preparePageTour } from './support/page-tour.ts';

const ARTIFACTS = artifactsDir('journey-7-phone');

describe('journey 7: every page at 360 px, screenshotted, with no horizontal scroll', () => {
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
    tour = await preparePageTour(t.ctx, browser, served, { width: 360, height: 800 });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.close();
    await database?.close();
  });

  it('fits each page into a 360 px phone and keeps a screenshot of it', async () => {
    for (const stop of tour.stops) {
      const page = await tour.contexts[stop.who].newPage();
      screenshotOnFailure(() => page, ARTIFACTS, stop.name);
      const res = await page.goto(`${served.url}${stop.path}`);
      expect([stop.path, res?.status()]).toEqual([stop.path, stop.name === 'not-found' ? 404 : 200]);
      await expectNoHorizontalScroll(page);
      await screenshot(page, ARTIFACTS, stop.name);
      await page.close();
    }
  }, 240_000);
});
