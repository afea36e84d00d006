import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncPlans } from '../src/services/plans/sync-plans.ts';
import { signUp } from './support/accounts.ts';
import { settleWebhooks, subscribeAndPay } from './support/billing-flow.ts';
import {
  artifactsDir,
  contextWithCookie,
  expectAccessible,
  expectNoHorizontalScroll,
  launchBrowser,
  screenshot,
  screenshotOnFailure,
} from './support/browser.ts';
import { createTestContext, TEST_KEYS } from './support/context.ts';
import { migrateTestDatabase, openTestDatabase, type TestDatabase } from './support/databases.ts';
import { serveFullApp } from './support/full-app.ts';

const DAY = 86_400;
const DIR = artifactsDir('journey-2-renewal');

describe('journey 2: a renewal fails; /account shows pending with the update-card link, then halted', () => {
  let database: TestDatabase;
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page | undefined;

  /** Drives the emulator through its control routes, as `polaris emulator …` does. */
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${t.emulatorUrl}/_emulator${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect([path, res.status]).toEqual([path, 200]);
  };
  /** Advances Razorpay's clock, then lets its webhooks land and be processed. */
  const advance = async (seconds: number) => {
    await control('/clock/advance', { seconds });
    await settleWebhooks(t, database.db);
  };
  /** Axe on the desktop page, then no sideways scroll and axe again at 360 px, and a phone screenshot. */
  const checkState = async (p: Page, name: string) => {
    await p.setViewportSize({ width: 1280, height: 800 });
    await expectAccessible(p);
    await p.setViewportSize({ width: 360, height: 800 });
    await expectNoHorizontalScroll(p);
    await expectAccessible(p);
    await screenshot(p, DIR, name);
  };

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await migrateTestDatabase(database.db);
    t = await createTestContext(database);
    expect((await syncPlans({ ctx: t.ctx })).ok).toBe(true);
    served = await serveFullApp(t.ctx);
    t.emulator.addWebhook({ url: `${served.url}/api/webhooks/razorpay`, secret: TEST_KEYS.webhookSecret });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await served?.close();
    await t?.close();
    await database?.close();
  });

  it('active, then pending with a link to Razorpay’s page for the subscription, then halted and back on free', async () => {
    screenshotOnFailure(() => page, DIR, 'renewal');
    const { cookie } = await signUp(served.app, 'renewal@example.com');
    const { rzpId } = await subscribeAndPay(served.app, t.emulatorUrl, cookie, {
      tier: 'navigator',
      cycle: 'monthly',
    });
    await settleWebhooks(t, database.db);

    context = await contextWithCookie(browser, served.url, cookie);
    page = await context.newPage();
    await page.goto(`${served.url}/account`);
    expect(await page.textContent('#plan-tier')).toBe('Navigator');
    expect(await page.textContent('#plan-status')).toBe('active');
    expect(await page.textContent('#next-charge')).toMatch(/^₹3,499 on \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(await page.locator('#notice-pending').count()).toBe(0);
    await checkState(page, '1-active');

    // The next four charge attempts fail; a cycle later the renewal fails and Razorpay retries.
    await control(`/subscriptions/${rzpId}/fail-charges`, { count: 4 });
    await advance(31 * DAY);
    await page.reload();
    await expect.poll(() => page?.locator('#notice-pending').count()).toBe(1);
    expect(await page.textContent('#notice-pending')).toContain('renewal payment failed');
    const shortUrl = t.emulator.ctx.state.subscriptions.get(rzpId)?.short_url;
    expect(shortUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/checkout\/pay\?subscription_id=sub_/);
    expect(await page.getAttribute('a#update-card', 'href')).toBe(shortUrl);
    expect(await page.textContent('#plan-status')).toContain('Razorpay is retrying');
    expect(await page.textContent('#plan-tier')).toBe('Navigator');
    expect(await page.textContent('#payments')).toContain('Failed');
    await checkState(page, '2-pending');
    const hosted = await context.newPage();
    const opened = await hosted.goto(shortUrl ?? '');
    expect(opened?.status()).toBe(200);
    await hosted.close();

    // Three daily retries fail too: Razorpay halts the subscription and the account drops to free.
    for (let day = 0; day < 3; day++) await advance(DAY + 60);
    await page.reload();
    await expect.poll(() => page?.locator('#notice-halted').count()).toBe(1);
    expect(await page.locator('#notice-pending').count()).toBe(0);
    expect(await page.textContent('#notice-halted')).toContain('halted');
    expect(await page.getAttribute('#notice-halted a[href="/pricing"]', 'href')).toBe('/pricing');
    expect(await page.textContent('#plan-tier')).toBe('Free');
    expect(await page.textContent('#next-charge')).toBe('None: charges stopped');
    expect(await page.textContent('#usage')).toContain('of 2 blueprints');
    await checkState(page, '3-halted');
  });
});
