import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncPlans } from '../src/services/plans/sync-plans.ts';
import { signUp } from './support/accounts.ts';
import { createTestContext, TEST_KEYS } from './support/context.ts';
import { migrateTestDatabase, openTestDatabase, type TestDatabase } from './support/databases.ts';
import { serveFullApp } from './support/full-app.ts';

// Debian's chromium (`apt-get install -y chromium`, done by .ci/run); the test fails without it.
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

describe('checkout in a real browser: /pricing, the emulator checkout page, verify', () => {
  let database: TestDatabase;
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  let browser: Browser;

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error('chromium not found: apt-get install -y chromium');
    database = await openTestDatabase('pglite');
    await migrateTestDatabase(database.db);
    t = await createTestContext(database);
    expect((await syncPlans({ ctx: t.ctx })).ok).toBe(true);
    served = await serveFullApp(t.ctx);
    t.emulator.addWebhook({ url: `${served.url}/api/webhooks/razorpay`, secret: TEST_KEYS.webhookSecret });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.close();
    await database?.close();
  });

  it('a signed-in user buys navigator: a declined card first, then a card that succeeds', async () => {
    const { cookie } = await signUp(served.app, 'browser@example.com');
    const context = await browser.newContext();
    const host = new URL(served.url).hostname;
    await context.addCookies(
      cookie.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name: name!, value: value.join('='), domain: host, path: '/' };
      }),
    );
    const page = await context.newPage();
    await page.goto(`${served.url}/pricing`);
    await expect.poll(() => page.textContent('#visitor')).toContain('free plan');
    expect(await page.textContent('#plan-navigator')).toContain('₹3,499');

    await page.click('button[data-tier="navigator"]');
    const checkout = page.frameLocator('iframe');
    await checkout.locator('button[data-i="card_failure"]').click();
    await expect.poll(() => page.textContent('#status'), { timeout: 10_000 }).toContain('Payment failed');
    await checkout.locator('button[data-i="card_success"]').click();
    await expect.poll(() => page.textContent('#status'), { timeout: 10_000 }).toBe('Subscribed: active');

    const profile = await database.db
      .selectFrom('user_profiles')
      .select('subscription_tier')
      .where('email', '=', 'browser@example.com')
      .executeTakeFirstOrThrow();
    expect(profile.subscription_tier).toBe('navigator');
    await page.reload();
    expect(await page.textContent('#visitor')).toContain('navigator plan (active)');
    await context.close();
  });
});
