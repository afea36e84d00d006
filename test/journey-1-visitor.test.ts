import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, expectAccessible, screenshot, screenshotOnFailure } from './support/browser.ts';
import { type Journey, startJourney } from './support/journey.ts';

const ARTIFACTS = artifactsDir('journey-1-visitor');

describe('journey 1: a visitor signs up, subscribes, uses the quota and cancels at cycle end', () => {
  let j: Journey;
  // The journey's parts, named as the steps below use them.
  let database: Journey['database'];
  let served: Journey['served'];
  let browser: Journey['browser'];

  beforeAll(async () => {
    j = await startJourney({ plans: true, webhooks: true });
    ({ database, served, browser } = j);
  });
  afterAll(async () => {
    await j?.close();
  });

  it('from /pricing to navigator, 25 blueprints, the upgrade prompt and a cancellation at cycle end', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    screenshotOnFailure(() => page, ARTIFACTS, 'journey');

    // A visitor picks navigator and is sent to sign up, then back to the plan they chose.
    await page.goto(`${served.url}/pricing`);
    await page.click('[data-tier="navigator"]');
    await page.waitForURL(/\/sign-up/);
    await page.fill('#sign-up-form [name=name]', 'Asha Rao');
    await page.fill('#sign-up-form [name=email]', 'asha@example.com');
    await page.fill('#sign-up-form [name=password]', 'correct-horse-battery');
    await page.click('#sign-up-form [type=submit]');
    await page.waitForURL(/\/pricing\?plan=navigator/);

    // Checkout through the emulator's page: a declined card, then one that works.
    await page.click('button[data-tier="navigator"]');
    const checkout = page.frameLocator('iframe');
    await checkout.locator('button[data-i="card_failure"]').click();
    await expect.poll(() => page.textContent('#status'), { timeout: 10_000 }).toContain('Payment failed');
    await checkout.locator('button[data-i="card_success"]').click();
    await expect.poll(() => page.textContent('#status'), { timeout: 10_000 }).toContain('Subscribed: active');

    await page.goto(`${served.url}/account`);
    const summary = (await page.textContent('#plan-summary')) ?? '';
    expect(summary).toMatch(/navigator/i);
    expect(summary).toMatch(/active/i);
    await expectAccessible(page);

    // Blueprints up to navigator's 25, then the prompt naming voyager's allowance.
    for (let i = 1; i <= 25; i++) {
      await page.goto(`${served.url}/blueprints`);
      await page.fill('#create-blueprint [name=title]', `Course ${i}`);
      await page.fill('#create-blueprint [name=content]', `Week ${i}: objectives and exercises`);
      await Promise.all([page.waitForLoadState('load'), page.click('#create-blueprint [type=submit]')]);
    }
    await page.goto(`${served.url}/blueprints`);
    expect(await page.textContent('#usage')).toContain('25 of 25');
    const prompt = (await page.textContent('#quota-exhausted')) ?? '';
    expect(prompt).toMatch(/voyager/i);
    expect(prompt).toContain('50');
    expect(await page.getAttribute('#quota-exhausted a', 'href')).toMatch(/^\/pricing/);

    // Cancel at the end of the cycle: still navigator and active until then.
    await page.goto(`${served.url}/account`);
    await page.check('#cancel-form [name=when][value=cycle_end]');
    await page.fill('#cancel-form [name=confirm]', 'CANCEL');
    await page.click('#cancel-submit');
    await expect.poll(() => page.textContent('#notice')).toMatch(/will end at the end/i);
    const row = await database.db
      .selectFrom('subscriptions')
      .innerJoin('user_profiles', 'user_profiles.user_id', 'subscriptions.user_id')
      .select([
        'subscriptions.status',
        'subscriptions.cancel_at_cycle_end',
        'user_profiles.subscription_tier',
      ])
      .where('user_profiles.email', '=', 'asha@example.com')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'active',
      cancel_at_cycle_end: true,
      subscription_tier: 'navigator',
    });
    await screenshot(page, ARTIFACTS, 'last-cancelled-at-cycle-end');
    await context.close();
  }, 240_000);
});
