import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  expectAccessible,
  expectNoHorizontalScroll,
  screenshot,
  screenshotOnFailure,
  signedInAdmin,
} from './support/browser.ts';
import { type Journey, startJourney } from './support/journey.ts';
import { createUser } from './support/seed.ts';
import { createNavigatorPlan, parkDeliveriesAsFailed, subscribeAndPay } from './webhook-fixtures.ts';

const DIR = artifactsDir('journey-4-webhook-retry');

describe('journey 4: after a Razorpay outage the admin retries the failed webhooks from /admin', () => {
  let j: Journey;
  let current: Page | undefined;
  const events = () =>
    j.database.db
      .selectFrom('razorpay_webhook_events')
      .select(['event_id', 'processing_status', 'processed_at'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => {
    await j?.close();
  });

  it('the failed events show on the overview, are retried oldest first, and the subscription applies', async () => {
    const { database, t, served, browser } = j;
    screenshotOnFailure(() => current, DIR, 'journey-4');
    // The fault: a payment's deliveries arrive while Razorpay's API is down and are parked as failed.
    const payer = await createUser(database.db, 'j4-payer@example.com');
    await subscribeAndPay(t, payer, await createNavigatorPlan(t.ctx));
    await parkDeliveriesAsFailed(t);
    const failed = (await events()).filter((e) => e.processing_status === 'failed').map((e) => e.event_id);
    expect(failed.length).toBeGreaterThan(1);
    const tier = () =>
      database.db
        .selectFrom('user_profiles')
        .select('subscription_tier')
        .where('user_id', '=', payer)
        .executeTakeFirstOrThrow();
    expect(await tier()).toEqual({ subscription_tier: 'free' });

    const admin = await (await signedInAdmin(t.ctx, browser, served, 'j4-admin@example.com')).newPage();
    current = admin;
    await admin.goto(`${served.url}/admin`);
    expect(await admin.textContent('#stat-failed-events')).toBe(String(failed.length));
    await expectAccessible(admin);
    await admin.click('text=Failed webhook events');
    await admin.waitForURL('**/admin/webhooks?status=failed');
    // The filter form narrows it further, as a person would use it.
    await admin.selectOption('#filter-status', 'failed');
    await admin.fill('#filter-since', '24h');
    await Promise.all([
      admin.waitForURL('**/admin/webhooks?status=failed&type=&since=24h'),
      admin.click('#webhook-filter button'),
    ]);
    expect(await admin.locator('input[name=ids]').count()).toBe(failed.length);
    await expectAccessible(admin);
    for (const id of failed) await admin.check(`#select-${id}`);
    await admin.fill('#retry-selected-reason', 'Razorpay API back');
    await Promise.all([admin.waitForURL('**/admin/webhooks?done=retried'), admin.click('#retry-selected')]);
    expect(await admin.textContent('#notice')).toContain('oldest first; each is processed');
    await expectAccessible(admin);

    const after = await events();
    expect(after.every((e) => e.processing_status === 'processed')).toBe(true);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['actor', 'reason', 'details'])
      .where('action', '=', 'webhook.retry')
      .execute();
    // Oldest first: the retry put them back, and the processor applied them, in receipt order.
    expect(audit).toEqual([
      { actor: 'j4-admin@example.com', reason: 'Razorpay API back', details: { eventIds: failed } },
    ]);
    const times = after.map((e) => new Date(e.processed_at ?? 0).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(await tier()).toEqual({ subscription_tier: 'navigator' });

    await admin.goto(`${served.url}/admin/webhooks/${failed[0]}`);
    expect(await admin.textContent('#webhook-retries')).toContain(
      'by j4-admin@example.com (Razorpay API back)',
    );
    await expectAccessible(admin);
    await admin.setViewportSize({ width: 360, height: 800 });
    await expectNoHorizontalScroll(admin);
    for (const path of ['/admin/webhooks', '/admin']) {
      await admin.goto(`${served.url}${path}`);
      await expectNoHorizontalScroll(admin);
    }
    expect(await admin.textContent('#stat-failed-events')).toBe('0');
    await screenshot(admin, DIR, 'overview-after-retry-360');
  }, 240_000);
});
