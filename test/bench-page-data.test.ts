import { expect, it } from 'vitest';
import { seedDataset } from '../bench/support/dataset.ts';
import {
  adoptHeaviestSubscriber,
  createBenchAdmin,
  seedPageData,
  signIn,
} from '../bench/support/page-data.ts';
import { verifyDatabase } from '../src/services/verify/verify-database.ts';
import { TEST_AUTH } from './support/accounts.ts';
import { createTestContext } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';
import { fullApp } from './support/full-app.ts';

describeEachBackend('bench page data (bench/support/page-data.ts)', { migrated: true }, (get) => {
  it('hands a signed-in subscriber the heaviest history, signs in an admin, and leaves db verify clean', async () => {
    const t = await createTestContext(get());
    try {
      await seedDataset(get().db, { users: 205, payments: 3000, events: 600 });
      await seedPageData(get().db, { blueprintsPerUser: 2, auditRows: 50 });
      const subscriber = await adoptHeaviestSubscriber(t.ctx, get().db, 5);
      const admin = await createBenchAdmin(t.ctx);
      expect(subscriber.payments).toBeGreaterThanOrEqual(3000 / 84);

      const app = fullApp(t.ctx);
      const cookie = await signIn(app, subscriber.email, TEST_AUTH.baseUrl);
      const current = await app.request('/api/subscriptions/current', { headers: { cookie } });
      expect(current.status).toBe(200);
      expect(((await current.json()) as { subscription: unknown }).subscription).toMatchObject({
        status: 'active',
      });
      expect(await t.ctx.repos.paymentHistory.count(subscriber.userId)).toBe(subscriber.payments);
      const page = await t.ctx.repos.paymentHistory.page(subscriber.userId, { limit: 100 });
      expect(page.rows.some((p) => p.status === 'refunded' && p.refunds.length === 1)).toBe(true);
      expect(await t.ctx.repos.blueprints.listOwn(subscriber.userId, { limit: 10, offset: 0 })).toHaveLength(
        5,
      );

      const adminCookie = await signIn(app, admin.email, TEST_AUTH.baseUrl);
      const metrics = await app.request('/metrics', { headers: { cookie: adminCookie } });
      expect(metrics.status).toBe(200);

      const report = await verifyDatabase({ ctx: t.ctx });
      expect(report.checks.filter((c) => c.count > 0).map((c) => c.name)).toEqual(['failed_events']);
    } finally {
      await t.close();
    }
  });
});
