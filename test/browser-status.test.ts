import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordComponentStates } from '../src/services/status/record-component-states.ts';
import { runCliWith } from './support/cli-in-process.ts';
import { createTestContext } from './support/context.ts';
import { migrateTestDatabase, openTestDatabase, type TestDatabase } from './support/databases.ts';
import { serveFullApp } from './support/full-app.ts';
import { waitFor } from './support/wait.ts';

// Debian's chromium (`apt-get install -y chromium`, done by .ci/run); the test fails without it.
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
// Screenshots of each step, kept for a person to look at (git ignores the folder).
const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts', 'browser-status');

describe('the status page in a real browser, without JavaScript, 360 px wide', () => {
  let database: TestDatabase;
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let served: Awaited<ReturnType<typeof serveFullApp>>;
  let browser: Browser;

  beforeAll(async () => {
    if (!CHROMIUM) throw new Error('chromium not found: apt-get install -y chromium');
    mkdirSync(ARTIFACTS, { recursive: true });
    database = await openTestDatabase('pglite');
    await migrateTestDatabase(database.db);
    t = await createTestContext(database);
    served = await serveFullApp(t.ctx);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.close();
    await database?.close();
  });

  const cli = async (...args: string[]) => {
    const run = await runCliWith(t.ctx, ['--json', ...args]);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { incident: { id: string } };
  };
  /** Reloads until `selector`'s text holds `text` (the page rereads the database every few seconds). */
  const until = async (page: Page, selector: string, text: string) =>
    waitFor(
      async () => {
        await page.reload();
        const element = await page.$(selector);
        return ((await element?.textContent()) ?? '').includes(text);
      },
      20_000,
      `${selector} to show "${text}"`,
    );
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });

  it('follows an incident opened from the CLI: it appears, updates and resolves', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(`${served.url}/status`);
    expect(await page.textContent('#overall')).toBe('All Systems Operational');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await shot(page, '1-operational.png');

    const opened = await cli(
      'incident',
      'open',
      '--severity',
      'high',
      '--type',
      'payment.processing',
      '--title',
      'Card payments failing',
      '--components',
      'checkout',
    );
    const id = opened.incident.id;
    await recordComponentStates({ ctx: t.ctx });
    await until(page, '#component-checkout', 'Partial outage');
    expect(await page.textContent('#overall')).toBe('Partial System Outage');

    await cli(
      'incident',
      'update',
      id,
      '--status',
      'investigating',
      '--message',
      'Cards are declined; looking.',
      '--public',
    );
    await until(page, `#inc-${id}`, 'Cards are declined; looking.');
    expect(await page.textContent(`#inc-${id} h3`)).toBe('Card payments failing');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await shot(page, '2-investigating.png');

    await cli(
      'incident',
      'update',
      id,
      '--status',
      'monitoring',
      '--message',
      'A fix is out; watching.',
      '--public',
    );
    await until(page, `#inc-${id} .updates li:first-child`, 'Monitoring — A fix is out; watching.');
    await shot(page, '3-monitoring.png');

    await cli('incident', 'resolve', id, '--message', 'Payments work again.', '--public');
    t.emulator.advanceClock(600);
    await recordComponentStates({ ctx: t.ctx });
    await until(page, '#history', 'Payments work again.');
    expect(await page.textContent('#overall')).toBe('All Systems Operational');
    expect(await page.textContent('#no-incidents')).toBe('No open incidents.');
    expect(await page.getAttribute('#uptime-checkout .bars', 'aria-label')).toBe(
      'Checkout: 0.00 % uptime over 90 days, 1 day with downtime',
    );
    await shot(page, '4-resolved.png');
    await context.close();
  });
});
