import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  expectAccessible,
  expectNoHorizontalScroll,
  screenshot,
  screenshotOnFailure,
  signedInAdmin,
  signedInUser,
} from './support/browser.ts';
import { flagAuditRows } from './support/flags.ts';
import { type Journey, startJourney } from './support/journey.ts';

const DIR = artifactsDir('journey-3-payments-off');
const BUY = 'button[data-tier="navigator"]';
// A checkout as the page's own script would start it, from the buyer's browser (cookie and Origin).
const CHECKOUT = `fetch('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ tier: 'navigator', cycle: 'monthly' }) })
  .then(async (r) => ({ status: r.status, code: (await r.json()).error?.code ?? null }))`;

/** Sets payments on /admin/flags as a person would: the state, a reason, the confirmation box. */
async function setPayments(admin: Page, state: 'on' | 'off', reason: string) {
  await admin.check(`#flag-payments-${state}`);
  await admin.fill('#flag-payments-reason', reason);
  await admin.check('#flag-payments-confirm');
  await Promise.all([
    admin.waitForURL(`**/admin/flags?done=payments-${state}`),
    admin.click('#flag-payments-submit'),
  ]);
  expect(await admin.textContent('#notice')).toBe(`payments is now ${state}.`);
}

describe('journey 3: an admin turns payments off from /admin/flags; another browser sees it', () => {
  let j: Journey;
  let current: Page | undefined;

  beforeAll(async () => {
    j = await startJourney({ plans: true });
  });
  afterAll(async () => {
    await j?.close();
  });

  it('payments off: the buyer sees the banner and disabled buttons, checkout answers 503; on again restores', async () => {
    const { database, t, served, browser } = j;
    screenshotOnFailure(() => current, DIR, 'journey-3');
    const buyer = await (await signedInUser(browser, served, 'j3-buyer@example.com')).newPage();
    await buyer.goto(`${served.url}/pricing`);
    expect(await buyer.isEnabled(BUY)).toBe(true);
    expect(await buyer.$('#banner-payments')).toBeNull();

    const admin = await (await signedInAdmin(t.ctx, browser, served, 'j3-admin@example.com')).newPage();
    current = admin;
    await admin.goto(`${served.url}/admin/flags`);
    await expectAccessible(admin);
    await setPayments(admin, 'off', 'Razorpay incident: cards declined');
    await expectAccessible(admin);
    expect(await admin.textContent('#flag-payments-state')).toContain('Now off (active)');

    current = buyer;
    // No reload: the open page follows GET /api/modes (polled each second). The 2 s figure itself
    // is measured by `npm run bench -- flags-propagation`; a loaded CI machine gets some slack here.
    await buyer.waitForSelector('#banner-payments', { timeout: 5_000 });
    expect(await buyer.textContent('#banner-payments')).toContain('Payments are paused');
    expect(await buyer.isDisabled(BUY)).toBe(true);
    expect(await buyer.evaluate<{ status: number; code: string | null }>(CHECKOUT)).toEqual({
      status: 503,
      code: 'payments_disabled',
    });
    await screenshot(buyer, DIR, '1-pricing-payments-off');

    current = admin;
    await setPayments(admin, 'on', 'Razorpay recovered');
    current = buyer;
    await buyer.waitForSelector('#banner-payments', { state: 'detached', timeout: 5_000 });
    await buyer.waitForSelector(`${BUY}:not([disabled])`, { timeout: 5_000 });
    expect((await flagAuditRows(database.db)).map((r) => [r.actor, r.target, r.reason])).toEqual([
      ['j3-admin@example.com', 'payments', 'Razorpay incident: cards declined'],
      ['j3-admin@example.com', 'payments', 'Razorpay recovered'],
    ]);

    current = admin;
    await admin.setViewportSize({ width: 360, height: 800 });
    for (const path of ['/admin/flags', '/admin']) {
      await admin.goto(`${served.url}${path}`);
      await expectNoHorizontalScroll(admin);
      await expectAccessible(admin);
    }
    await screenshot(admin, DIR, '2-admin-overview-360');
  }, 240_000);
});
