import type { Browser } from 'playwright-core';
import { syncPlans } from '../../src/services/plans/sync-plans.ts';
import { launchBrowser } from './browser.ts';
import { createTestContext, TEST_KEYS } from './context.ts';
import { migrateTestDatabase, openTestDatabase, type TestDatabase } from './databases.ts';
import { serveFullApp } from './full-app.ts';

/** What a browser journey runs against: its own database, the emulator, the served app, chromium. */
export type Journey = {
  database: TestDatabase;
  t: Awaited<ReturnType<typeof createTestContext>>;
  served: Awaited<ReturnType<typeof serveFullApp>>;
  browser: Browser;
  close: () => Promise<void>;
};

/**
 * A fresh migrated PGlite database, the full app on loopback and chromium; plans synced and the
 * emulator's webhooks pointed at the app when asked.
 */
export async function startJourney(options: { plans?: boolean; webhooks?: boolean } = {}): Promise<Journey> {
  const database = await openTestDatabase('pglite');
  await migrateTestDatabase(database.db);
  const t = await createTestContext(database);
  if (options.plans) {
    const synced = await syncPlans({ ctx: t.ctx });
    if (!synced.ok) throw new Error('plans did not sync with the emulator');
  }
  const served = await serveFullApp(t.ctx);
  if (options.webhooks)
    t.emulator.addWebhook({ url: `${served.url}/api/webhooks/razorpay`, secret: TEST_KEYS.webhookSecret });
  const browser = await launchBrowser();
  return {
    database,
    t,
    served,
    browser,
    close: async () => {
      await browser.close();
      await served.close();
      await t.close();
      await database.close();
    },
  };
}
