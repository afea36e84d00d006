import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  expectNoHorizontalScroll,
  screenshot,
  screenshotOnFailure,
} from './support/browser.ts';
import { type Journey, startJourney } from './support/journey.ts';
import { preparePageTour } from './support/page-tour.ts';

const ARTIFACTS = artifactsDir('journey-7-phone');

describe('journey 7: every page at 360 px, screenshotted, with no horizontal scroll', () => {
  let j: Journey;
  let tour: Awaited<ReturnType<typeof preparePageTour>>;

  beforeAll(async () => {
    j = await startJourney();
    tour = await preparePageTour(j.t.ctx, j.browser, j.served, { width: 360, height: 800 });
  });
  afterAll(async () => {
    await j?.close();
  });

  it('fits each page into a 360 px phone and keeps a screenshot of it', async () => {
    for (const stop of tour.stops) {
      const page = await tour.contexts[stop.who].newPage();
      screenshotOnFailure(() => page, ARTIFACTS, stop.name);
      const res = await page.goto(`${j.served.url}${stop.path}`);
      expect([stop.path, res?.status()]).toEqual([stop.path, stop.name === 'not-found' ? 404 : 200]);
      await expectNoHorizontalScroll(page);
      await screenshot(page, ARTIFACTS, stop.name);
      await page.close();
    }
  }, 240_000);
});
