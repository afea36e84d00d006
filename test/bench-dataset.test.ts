import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { seedDataset } from '../bench/support/dataset.ts';
import { verifyDatabase } from '../src/services/verify/verify-database.ts';
import { createTestContext } from './support/context.ts';
import { describeEachBackend } from './support/databases.ts';

describeEachBackend('bench dataset (bench/support/dataset.ts)', { migrated: true }, (get) => {
  it('seeds the asked sizes in every status, consistent enough that db verify finds no error', async () => {
    await seedDataset(get().db, { users: 205, payments: 3000, events: 600 });
    const counts = await sql<{ users: string; subs: string; payments: string; events: string }>`
      SELECT (SELECT count(*) FROM user_profiles) AS users, (SELECT count(*) FROM subscriptions) AS subs,
             (SELECT count(*) FROM payments) AS payments, (SELECT count(*) FROM razorpay_webhook_events) AS events`.execute(
      get().db,
    );
    expect(counts.rows[0]).toEqual({ users: '205', subs: '84', payments: '3000', events: '600' });
    const statuses = async (q: ReturnType<typeof sql<{ s: string }>>) =>
      (await q.execute(get().db)).rows.map((r) => r.s).sort();
    expect(await statuses(sql`SELECT DISTINCT status AS s FROM subscriptions`)).toEqual(
      ['active', 'authenticated', 'cancelled', 'completed', 'created', 'halted', 'paused', 'pending'].sort(),
    );
    expect(await statuses(sql`SELECT DISTINCT status AS s FROM payments`)).toEqual(
      ['authorized', 'captured', 'failed', 'refunded'].sort(),
    );
    expect(await statuses(sql`SELECT DISTINCT processing_status AS s FROM razorpay_webhook_events`)).toEqual(
      ['failed', 'pending', 'processed', 'processing', 'skipped'].sort(),
    );
    const tiers = await statuses(sql`SELECT DISTINCT subscription_tier AS s FROM user_profiles`);
    expect(tiers).toContain('free');
    expect(tiers).toContain('armada');

    // The profiles hold what the sync trigger derives: firing it on every subscription changes none.
    const profiles = () =>
      sql<{ sum: string }>`SELECT md5(string_agg(concat_ws(',', user_id, subscription_tier, subscription_id,
        usage_period_start, usage_period_end, blueprint_creation_count), '|' ORDER BY user_id)) AS sum
        FROM user_profiles`.execute(get().db);
    const before = (await profiles()).rows[0]?.sum;
    await sql`UPDATE subscriptions SET updated_at = now()`.execute(get().db);
    expect((await profiles()).rows[0]?.sum).toBe(before);

    const t = await createTestContext(get());
    try {
      const report = await verifyDatabase({ ctx: t.ctx });
      expect(report.checks.filter((c) => c.count > 0).map((c) => [c.name, c.count])).toEqual([
        ['failed_events', 6],
      ]);
      expect(report.ok).toBe(true);
    } finally {
      await t.close();
    }
  });
});
