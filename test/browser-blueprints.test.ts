import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  expectAccessible,
  expectNoHorizontalScroll,
  launchBrowser,
  screenshot,
  screenshotOnFailure,
  signedInUser,
} from './support/browser.ts';
import { createTestContext } from './support/context.ts';
import { migrateTestDatabase, openTestDatabase, type TestDatabase } from './support/databases.ts';
import { serveFullApp } from './support/full-app.ts';

const DIR = artifactsDir('browser-blueprints');
const PHONE = { width: 360, height: 800 };

describe('blueprints in chromium: create up to the free limit, the upgrade prompt, open and delete', () => {
  let database: TestDatabase;
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page | undefined;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await migrateTestDatabase(database.db);
    t = await createTestContext(database);
    served = await serveFullApp(t.ctx);
    browser = await launchBrowser();
    context = await signedInUser(browser, served, 'browser-blueprints@example.com', { viewport: PHONE });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await served?.close();
    await t?.close();
    await database?.close();
  });

  /** The page as a person at 360 px gets it: accessible, no sideways scroll; saved as `name`. */
  const check = async (p: Page, name: string) => {
    await expectAccessible(p);
    await expectNoHorizontalScroll(p);
    await screenshot(p, DIR, name);
  };
  const create = async (p: Page, title: string, content: string) => {
    await p.fill('#title', title);
    await p.fill('#content', content);
    await Promise.all([p.waitForURL(/\/blueprints\?done=created$/), p.click('#create-submit')]);
    expect(await p.textContent('#notice')).toBe('Blueprint created.');
  };

  it('creates two blueprints on Free, shows the upgrade prompt, opens one and deletes it behind DELETE', async () => {
    page = await context.newPage();
    screenshotOnFailure(() => page, DIR, 'journey');
    const p = page;
    await p.goto(`${served.url}/blueprints`);
    expect(await p.textContent('h1')).toBe('Blueprints');
    expect(await p.textContent('#usage')).toContain('0 of 2 blueprints used');
    await check(p, '1-empty');

    // An empty title never reaches the server (required); the server's own refusal is covered beside the route.
    await create(p, 'Onboarding for the sales team', 'Week 1: accounts\nWeek 2: shadowing');
    await create(
      p,
      'A rather long title that wraps on a small phone screen without pushing the page sideways',
      'x'.repeat(400),
    );
    expect(await p.locator('#blueprint-list li').count()).toBe(2);
    expect(await p.textContent('#usage')).toContain('2 of 2 blueprints used');
    const prompt = p.locator('#quota-exhausted');
    expect(await prompt.textContent()).toContain(
      'The Explorer plan allows 5 blueprints each billing period.',
    );
    expect(await prompt.locator('a[href="/pricing"]').count()).toBe(1);
    expect(await p.isDisabled('#create-submit')).toBe(true);
    await check(p, '2-limit-reached');

    await Promise.all([
      p.waitForURL(/\/blueprints\/[0-9a-f-]{36}$/),
      p.click('#blueprint-list a >> text="Onboarding for the sales team"'),
    ]);
    expect(await p.textContent('#blueprint-title')).toBe('Onboarding for the sales team');
    expect(await p.textContent('#blueprint-content')).toBe('Week 1: accounts\nWeek 2: shadowing');
    await check(p, '3-opened');

    await p.fill('#confirm', 'delete');
    await p.click('button.danger');
    await p.waitForSelector('#confirm-error');
    expect(await p.textContent('#notice')).toContain('type DELETE');
    await check(p, '4-confirmation-refused');

    await p.fill('#confirm', 'DELETE');
    await Promise.all([p.waitForURL(/\/blueprints\?done=deleted$/), p.click('button.danger')]);
    expect(await p.textContent('#notice')).toContain('Blueprint deleted.');
    expect(await p.locator('#blueprint-list li').count()).toBe(1);
    // Deleting gives no quota back: the prompt stays.
    expect(await p.locator('#quota-exhausted').count()).toBe(1);
    await check(p, '5-deleted');

    // The list's own delete form, behind the same confirmation.
    await p.click('#blueprint-list summary');
    await p.fill('#blueprint-list input[name=confirm]', 'DELETE');
    await check(p, '6-delete-from-list');
    await Promise.all([
      p.waitForURL(/\/blueprints\?done=deleted$/),
      p.click('#blueprint-list button.danger'),
    ]);
    expect(await p.locator('#blueprint-list li').count()).toBe(0);
    expect(await p.textContent('#blueprint-list-empty')).toBe('You have no blueprints yet.');

    await Promise.all([p.waitForURL(/\/pricing/), p.click('#upgrade-link')]);
    await screenshot(p, DIR, '7-pricing-from-prompt');
  });
});
