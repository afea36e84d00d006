import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setFlag } from '../src/services/flags/set-flag.ts';
import { syncPlans } from '../src/services/plans/sync-plans.ts';
import { disableUser } from '../src/services/users/disable-user.ts';
import { signUp } from './support/accounts.ts';
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
import { resetFlags } from './support/flags.ts';
import { serveFullApp } from './support/full-app.ts';

const DIR = artifactsDir('browser-auth');
const PHONE = { width: 360, height: 800 };
const PASSWORD = 'correct-horse-battery';

describe('sign-up, sign-in, sign-out and /pricing in a real browser', () => {
  let database: TestDatabase;
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  let browser: Browser;
  let page: Page | undefined;

  /** Checks the page with axe-core, then at 360 px for sideways scroll, and saves it. */
  async function sweep(p: Page, name: string) {
    await expectAccessible(p);
    const size = p.viewportSize();
    await p.setViewportSize(PHONE);
    await expectNoHorizontalScroll(p);
    await screenshot(p, DIR, `${name}-360`);
    if (size) await p.setViewportSize(size);
  }

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await migrateTestDatabase(database.db);
    t = await createTestContext(database);
    expect((await syncPlans({ ctx: t.ctx })).ok).toBe(true);
    served = await serveFullApp(t.ctx);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.close();
    await database?.close();
  });

  it('a visitor picks a plan, signs up with a mistake shown beside the field, and comes back to that plan', async () => {
    const context = await browser.newContext();
    page = await context.newPage();
    screenshotOnFailure(() => page, DIR, 'visitor-sign-up');
    await page.goto(`${served.url}/pricing`);
    await sweep(page, 'pricing-visitor');
    await page.click('#cycle-yearly');
    await expect.poll(() => page!.textContent('#price-navigator')).toBe('₹34,990');
    await page.fill('#seats-crew', '4');
    await expect.poll(() => page!.textContent('#total-crew')).toBe('₹79,960 a year for 4 seats');
    expect(page.url()).toContain('seats-crew=4');
    await page.click('button[data-tier="navigator"]');
    await page.waitForURL(/\/sign-up\?next=/);
    expect(new URL(page.url()).searchParams.get('next')).toBe('/pricing?plan=navigator&cycle=yearly');
    await sweep(page, 'sign-up');

    await page.fill('#name', 'Asha');
    await page.fill('#email', 'visitor@example.com');
    await page.fill('#password', 'short');
    await page.click('#sign-up-form button[type="submit"]');
    await page.waitForSelector('#password-error');
    expect(await page.textContent('#password-error')).toBe('Use at least 10 characters.');
    expect(await page.getAttribute('#password', 'aria-describedby')).toContain('password-error');
    expect(await page.inputValue('#email')).toBe('visitor@example.com');
    await sweep(page, 'sign-up-error');

    await page.fill('#password', PASSWORD);
    await page.click('#sign-up-form button[type="submit"]');
    await page.waitForURL(/\/pricing\?plan=navigator&cycle=yearly$/);
    expect(await page.getAttribute('#plan-navigator', 'class')).toContain('chosen');
    expect(await page.textContent('#chosen-plan')).toContain('You chose Navigator, billed yearly');
    expect(await page.isChecked('#cycle-yearly')).toBe(true);
    expect(await page.textContent('#plan-free')).toContain('Current plan');
    await sweep(page, 'pricing-signed-in');
    await screenshot(page, DIR, 'visitor-sign-up');
    await context.close();
  });

  it('sign-up without next= goes to /account; sign-out says so; a wrong password and a disabled account are told beside the form', async () => {
    const context = await browser.newContext();
    page = await context.newPage();
    screenshotOnFailure(() => page, DIR, 'sign-in-errors');
    await page.goto(`${served.url}/sign-up`);
    await page.fill('#name', 'Ravi');
    await page.fill('#email', 'plain@example.com');
    await page.fill('#password', PASSWORD);
    await page.click('#sign-up-form button[type="submit"]');
    await page.waitForURL(/\/account$/);

    await page.goto(`${served.url}/pricing`);
    await page.click('#sign-out');
    await page.waitForURL(/\/sign-in\?done=signed-out$/);
    expect(await page.textContent('#notice')).toBe('You are signed out.');
    await sweep(page, 'sign-in');

    await page.fill('#email', 'plain@example.com');
    await page.fill('#password', 'not-the-password');
    await page.click('#sign-in-form button[type="submit"]');
    await page.waitForSelector('#password-error');
    expect(await page.textContent('#password-error')).toBe('The email or the password is wrong.');
    await sweep(page, 'sign-in-error');

    await signUp(served.app, 'locked@example.com', PASSWORD);
    await disableUser({
      ctx: t.ctx,
      input: { user: 'locked@example.com', reason: 'abuse report', actor: 'test', confirmed: true },
    });
    await page.fill('#email', 'locked@example.com');
    await page.fill('#password', PASSWORD);
    await page.click('#sign-in-form button[type="submit"]');
    await page.waitForSelector('#form-error');
    expect(await page.textContent('#form-error')).toContain('This account is disabled');
    await sweep(page, 'sign-in-disabled');

    await page.goto(`${served.url}/forgot-password`);
    await sweep(page, 'forgot-password');
    await page.goto(`${served.url}/reset-password?token=not-a-real-token-000000`);
    await sweep(page, 'reset-password');
    await page.fill('#password', 'a-brand-new-password');
    await page.fill('#confirm', 'a-brand-new-password');
    await page.click('#reset-password-form button[type="submit"]');
    await page.waitForSelector('#form-error');
    expect(await page.textContent('#form-error')).toContain('This reset link does not work');
    await sweep(page, 'reset-password-error');
    await screenshot(page, DIR, 'sign-in-errors');
    await context.close();
  });

  it('payments off: an open /pricing shows the banner and disables the buy buttons without a reload, and back', async () => {
    const context = await signedInUser(browser, served, 'modes@example.com');
    page = await context.newPage();
    screenshotOnFailure(() => page, DIR, 'pricing-payments-off');
    await page.goto(`${served.url}/pricing`);
    expect(await page.isEnabled('button[data-tier="navigator"]')).toBe(true);
    await setFlag({
      ctx: t.ctx,
      input: { name: 'payments', state: 'off', reason: 'test', message: 'Razorpay incident', actor: 'test' },
    });
    try {
      await page.waitForSelector('#banner-payments');
      expect(await page.textContent('#banner-payments')).toBe('Payments are paused: Razorpay incident');
      await expect.poll(() => page!.isDisabled('button[data-tier="navigator"]')).toBe(true);
      await sweep(page, 'pricing-payments-off');
      await screenshot(page, DIR, 'pricing-payments-off');
    } finally {
      await resetFlags(database.db);
    }
    await page.waitForSelector('#mode-banner', { state: 'detached' });
    await expect.poll(() => page!.isEnabled('button[data-tier="navigator"]')).toBe(true);
    await context.close();
  });
});
