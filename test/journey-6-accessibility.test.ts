import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AUTH } from './support/accounts.ts';
import { artifactsDir, expectAccessible, screenshot, screenshotOnFailure } from './support/browser.ts';
import { type Journey, startJourney } from './support/journey.ts';
import { preparePageTour, type TourStop } from './support/page-tour.ts';

const ARTIFACTS = artifactsDir('journey-6-accessibility');

describe('journey 6: axe-core finds no serious or critical violation on any page', () => {
  let j: Journey;
  let tour: Awaited<ReturnType<typeof preparePageTour>>;

  beforeAll(async () => {
    j = await startJourney();
    tour = await preparePageTour(j.t.ctx, j.browser, j.served, { width: 1280, height: 900 });
  });
  afterAll(async () => {
    await j?.close();
  });

  it('runs axe on every page, as a visitor, a subscriber and an admin, in normal mode and in maintenance', async () => {
    const visit = async (stop: TourStop, suffix: string) => {
      const page = await tour.contexts[stop.who].newPage();
      screenshotOnFailure(() => page, ARTIFACTS, `${stop.name}${suffix}`);
      const res = await page.goto(`${j.served.url}${stop.path}`);
      expect([stop.path, res?.status()]).toEqual([stop.path, stop.name === 'not-found' ? 404 : 200]);
      await expectAccessible(page);
      await page.close();
    };
    for (const stop of tour.stops) await visit(stop, '');
    const on = await j.served.app.request('/api/admin/flags/maintenance', {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${TEST_AUTH.adminToken}`,
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
    await page.goto(`${j.served.url}/account`);
    await screenshot(page, ARTIFACTS, 'last-account-in-maintenance');
  }, 240_000);
});
