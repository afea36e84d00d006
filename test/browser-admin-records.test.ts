import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, signUp } from './support/accounts.ts';
import {
  artifactsDir,
  expectAccessible,
  expectNoHorizontalScroll,
  launchBrowser,
  screenshot,
  screenshotOnFailure,
  signedInAdmin,
} from './support/browser.ts';
import { createTestContext } from './support/context.ts';
import { migrateTestDatabase, openTestDatabase, type TestDatabase } from './support/databases.ts';
import { serveFullApp } from './support/full-app.ts';

// Each form post is a full page load on a shared machine: wait for it, not for a fixed time.
const LOAD = { timeout: 20_000 };
const ARTIFACTS = artifactsDir('browser-admin-records');
const ADMIN = 'records-admin@example.com';
const VICTIM = 'records-victim@example.com';

describe('the admin console records in a real browser: incidents, users, audit log, database', () => {
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
    context = await signedInAdmin(t.ctx, browser, served, ADMIN);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.close();
    await database?.close();
  });

  const signIn = async () =>
    (
      await postJson(served.app, '/api/auth/sign-in/email', {
        email: VICTIM,
        password: 'correct-horse-battery',
      })
    ).status;

  it('an admin runs an incident, disables and enables a user, reads the audit log and runs a verify', async () => {
    const p = await context.newPage();
    page = p;
    screenshotOnFailure(() => page, ARTIFACTS, 'admin-records');
    const visited: string[] = [];
    const at = async (what: string) => {
      await expectAccessible(p);
      // A verify's page answers a POST; it is checked at 360 px by running it again below.
      if (!p.url().endsWith('/verify')) visited.push(p.url());
      await screenshot(p, ARTIFACTS, what);
    };

    // Open an incident, post an update, resolve it, read its report.
    await p.goto(`${served.url}/admin/incidents`);
    await at('incidents');
    await p.selectOption('#incident-severity', 'high');
    await p.selectOption('#incident-type', 'payment.webhooks');
    await p.fill('#incident-title', 'Webhooks failing');
    await p.check('input[name=components][value=webhooks]');
    await p.click('#open-incident button[type=submit]');
    await expect.poll(() => p.textContent('#notice'), LOAD).toBe('Incident opened.');
    await at('incident-opened');
    await p.selectOption('#update-status', 'identified');
    await p.fill('#update-message', 'The webhook secret was rotated');
    await p.check('#update-incident input[name=public]');
    await p.click('#update-incident button[type=submit]');
    await expect.poll(() => p.textContent('#notice'), LOAD).toBe('Update posted.');
    expect(await p.textContent('#incident-status')).toBe('identified');
    await p.fill('#resolve-message', 'Deliveries flow again');
    await p.click('#resolve-incident button[type=submit]');
    await expect.poll(() => p.textContent('#incident-status'), LOAD).toBe('resolved');
    expect(await p.textContent('#incident-timeline')).toContain('Deliveries flow again');
    await p.click('#incident-report-link');
    await expect.poll(() => p.textContent('#incident-report'), LOAD).toContain('# Incident Report');
    await at('incident-report');

    // Disable a user (who then cannot sign in), then enable them.
    await signUp(served.app, VICTIM);
    await p.goto(`${served.url}/admin/users`);
    await p.fill('#user-search-email', 'records-vic');
    await p.click('#user-search button[type=submit]');
    await at('users-search');
    await p.click(`#user-results a:text("${VICTIM}")`);
    await at('user');
    await p.fill('#disable-user-reason', 'credentials found in a paste');
    await p.fill('#disable-user-confirm', 'not-the-email@example.com');
    await p.click('#disable-user button[type=submit]');
    await expect.poll(() => p.textContent('#error-message'), LOAD).toContain('confirm: type the account');
    expect(await signIn()).toBe(200);
    await p.goBack();
    await p.fill('#disable-user-reason', 'credentials found in a paste');
    await p.fill('#disable-user-confirm', VICTIM);
    await p.click('#disable-user button[type=submit]');
    await expect.poll(() => p.textContent('#notice'), LOAD).toContain('Account disabled');
    expect(await p.textContent('#user-state')).toContain('disabled since');
    expect(await signIn()).toBe(403);
    await p.fill('#enable-user-reason', 'false alarm');
    await p.click('#enable-user button[type=submit]');
    await expect.poll(() => p.textContent('#notice'), LOAD).toContain('Account enabled');
    expect(await signIn()).toBe(200);

    // The audit log shows those rows, filtered.
    await p.goto(`${served.url}/admin/audit`);
    await p.fill('#audit-actor', ADMIN);
    await p.fill('#audit-action', 'user');
    await p.fill('#audit-since', '1h');
    await p.click('#audit-filter button[type=submit]');
    await expect
      .poll(() => p.$$eval('#audit-rows tbody tr', (rows) => rows.map((r) => r.getAttribute('data-action'))))
      .toEqual(['user.enable', 'user.disable']);
    await at('audit-users');
    await p.fill('#audit-action', 'incident');
    await p.click('#audit-filter button[type=submit]');
    await expect
      .poll(() => p.$$eval('#audit-rows tbody tr', (rows) => rows.map((r) => r.getAttribute('data-action'))))
      .toEqual(['incident.resolve', 'incident.update', 'incident.open']);

    // A verify, its checks shown.
    await p.goto(`${served.url}/admin/db`);
    await at('db');
    await p.click('#run-verify button[type=submit]');
    await expect.poll(() => p.textContent('#verify-result'), LOAD).toMatch(/^db verify: /);
    expect(await p.locator('#verify-checks tbody tr').count()).toBeGreaterThan(5);
    await at('db-verified');

    // Every page, on a 360 px phone: no sideways scroll.
    await p.setViewportSize({ width: 360, height: 800 });
    for (const url of new Set(visited)) {
      await p.goto(url);
      await expectNoHorizontalScroll(p);
    }
    await p.goto(`${served.url}/admin/db`);
    await p.click('#run-verify button[type=submit]');
    await expect.poll(() => p.textContent('#verify-result'), LOAD).toMatch(/^db verify: /);
    await expectNoHorizontalScroll(p);
    await screenshot(p, ARTIFACTS, 'db-verified-360');
  }, 240_000);
});
