import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncPlans } from '../src/services/plans/sync-plans.ts';
import { signUp } from './support/accounts.ts';
import {
  artifactsDir,
  expectAccessible,
  expectNoHorizontalScroll,
  launchBrowser,
  screenshot,
  screenshotOnFailure,
} from './support/browser.ts';
import { createTestContext, TEST_KEYS } from './support/context.ts';
import { migrateTestDatabase, openTestDatabase, type TestDatabase } from './support/databases.ts';
import { serveFullApp } from './support/full-app.ts';

const DIR = artifactsDir('journey-6-keyboard');
const PASSWORD = 'correct-horse-battery';
// Enough presses to walk round the whole page once (header, cards, footer) and back.
const MAX_TABS = 80;

/** The emulator's checkout frame, once it is open. */
const checkoutFrame = (page: Page): Frame | undefined =>
  page.frames().find((f) => f.url().includes('/v1/checkout/pay'));

/** Whether the focused element (in the page, or inside the checkout frame) matches `selector`. */
async function focused(page: Page, selector: string): Promise<boolean> {
  const probe = `document.hasFocus() && !!document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`;
  if (await page.evaluate<boolean>(probe)) return true;
  const frame = checkoutFrame(page);
  return frame ? frame.evaluate<boolean>(probe).catch(() => false) : false;
}

/** Presses Tab until `selector` has the focus; throws when it never gets it. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < MAX_TABS; i++) {
    if (await focused(page, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('journey 6: sign in and check out with the keyboard only', () => {
  let database: TestDatabase;
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  let browser: Browser;
  let page: Page | undefined;

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
    await browser?.close();
    await served?.close();
    await t?.close();
    await database?.close();
  });

  it('Tab, Enter and Space alone: sign in, pick navigator, a declined card, then a good one', async () => {
    await signUp(served.app, 'keys@example.com', PASSWORD);
    const context = await browser.newContext();
    page = await context.newPage();
    screenshotOnFailure(() => page, DIR, 'keyboard');
    await page.goto(`${served.url}/sign-in?next=${encodeURIComponent('/pricing')}`);
    await expectAccessible(page);

    await tabTo(page, '#email');
    await page.keyboard.type('keys@example.com');
    await tabTo(page, '#password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/pricing$/);
    await expect.poll(() => page!.textContent('#visitor')).toContain('free plan');
    await expectAccessible(page);

    await tabTo(page, 'button[data-tier="navigator"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => checkoutFrame(page!) !== undefined, { timeout: 10_000 }).toBe(true);
    // The checkout takes the focus itself: its first button, the good card.
    await expect.poll(() => focused(page!, 'button[data-i="card_success"]'), { timeout: 10_000 }).toBe(true);
    await tabTo(page, 'button[data-i="card_failure"]');
    await page.keyboard.press('Space');
    await expect.poll(() => page!.textContent('#status'), { timeout: 10_000 }).toContain('Payment failed');

    await tabTo(page, 'button[data-i="card_success"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page!.textContent('#status'), { timeout: 10_000 }).toBe('Subscribed: active');
    // The focus comes back to the button that opened the checkout.
    await expect.poll(() => focused(page!, 'button[data-tier="navigator"]')).toBe(true);
    const profile = await database.db
      .selectFrom('user_profiles')
      .select('subscription_tier')
      .where('email', '=', 'keys@example.com')
      .executeTakeFirstOrThrow();
    expect(profile.subscription_tier).toBe('navigator');

    await page.setViewportSize({ width: 360, height: 800 });
    await expectNoHorizontalScroll(page);
    await screenshot(page, DIR, 'keyboard');
    await context.close();
  });
});
