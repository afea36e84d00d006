import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { createSubscription, createUser, rzpId } from '../../../test/support/seed.ts';
import type { Check } from '../../domain/verify-checks.ts';
import { repairDatabase } from './repair-database.ts';
import { verifyDatabase } from './verify-database.ts';

const byName = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.name, c]));
const hits = (checks: Check[]) =>
  Object.fromEntries(checks.filter((c) => c.count > 0).map((c) => [c.name, c.count]));

describeEachBackend('db verify and --fix', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  const ids = {} as Record<string, string>;
  const db = () => get().db;
  const event = (status: string, lease: string, created: string) => sql`
    INSERT INTO razorpay_webhook_events (event_id, event_type, payload, processing_status, attempts,
      next_attempt_at, error_message, created_at)
    VALUES (${rzpId('evt')}, 'payment.captured', '{}', ${status}, 1, now() + ${lease}::interval,
      ${status === 'failed' ? 'boom' : null}, now() + ${created}::interval)
    RETURNING event_id`;

  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds nothing on a database whose rows agree, and runs in a READ ONLY transaction', async () => {
    const user = await createUser(db(), 'clean@example.com');
    await createSubscription(db(), user, { tier: 'explorer', status: 'active' });
    const report = await verifyDatabase({ ctx: t.ctx });
    expect(hits(report.checks)).toEqual({});
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'schema',
      'runbook_active_tier_mismatch',
      'runbook_orphaned_captured_payments',
      'two_live_subscriptions',
      'profile_tier_mismatch',
      'paid_tier_without_live_subscription',
      'payment_amount_mismatch',
      'usage_counters_out_of_range',
      'events_stuck_processing',
      'failed_events',
      'old_pending_events',
    ]);
    const attempt = t.ctx.transaction(async (repos) => {
      expect(await repos.verify.beginReadOnly()).toBe(true);
      await repos.audit.record({ actor: 'test', action: 'test.write', target: 'x' });
    });
    await expect(attempt).rejects.toThrow(/read-only transaction/);
    expect(
      await db().selectFrom('audit_log').select('id').where('action', '=', 'test.write').execute(),
    ).toEqual([]);
  });

  it("keeps an operator's run as one verify.run audit row with its outcome; a run with no actor keeps none", async () => {
    const runs = () =>
      db().selectFrom('audit_log').select(['actor', 'details']).where('action', '=', 'verify.run').execute();
    await verifyDatabase({ ctx: t.ctx });
    expect(await runs()).toEqual([]);
    const report = await verifyDatabase({ ctx: t.ctx, input: { actor: 'cli:oncall' } });
    const rows = await runs();
    expect(rows).toHaveLength(1);
    const details = typeof rows[0]!.details === 'string' ? JSON.parse(rows[0]!.details) : rows[0]!.details;
    expect([rows[0]!.actor, details.ok, details.checks]).toEqual([
      'cli:oncall',
      report.ok,
      report.checks.length,
    ]);
    await db().deleteFrom('audit_log').where('action', '=', 'verify.run').execute(); // the --fix test counts verify.* rows
  });

  it('seeded inconsistencies: each check counts them and names their ids, and writes nothing', async () => {
    // An active explorer whose profile says voyager (both runbook and profile checks).
    ids.a = await createUser(db(), 'a@example.com');
    ids.aSub = await createSubscription(db(), ids.a, { tier: 'explorer', status: 'active' });
    await db()
      .updateTable('user_profiles')
      .set({ subscription_tier: 'voyager' })
      .where('user_id', '=', ids.a)
      .execute();
    // A halted navigator still on navigator (halted grants free).
    ids.b = await createUser(db(), 'b@example.com');
    await createSubscription(db(), ids.b, { tier: 'navigator', status: 'halted' });
    await db()
      .updateTable('user_profiles')
      .set({ subscription_tier: 'navigator' })
      .where('user_id', '=', ids.b)
      .execute();
    // Paid tiers with no live subscription: one never subscribed (a person), one cancelled (fixable).
    ids.c = await createUser(db(), 'c@example.com');
    await db()
      .updateTable('user_profiles')
      .set({ subscription_tier: 'fleet' })
      .where('user_id', '=', ids.c)
      .execute();
    ids.d = await createUser(db(), 'd@example.com');
    await createSubscription(db(), ids.d, { tier: 'crew', status: 'cancelled' });
    await db()
      .updateTable('user_profiles')
      .set({ subscription_tier: 'crew' })
      .where('user_id', '=', ids.d)
      .execute();
    // A captured payment with no subscription, and one charged 1 paisa instead of the plan price.
    const pay = async (subscriptionId: string | null, amount: number) =>
      (
        await db()
          .insertInto('payments')
          .values({
            subscription_id: subscriptionId,
            user_id: ids.a,
            razorpay_payment_id: rzpId('pay'),
            amount,
            status: 'captured',
          })
          .returning('payment_id')
          .executeTakeFirstOrThrow()
      ).payment_id;
    ids.orphan = await pay(null, 159_900);
    ids.cheap = await pay(ids.aSub, 1);
    await pay(ids.aSub, 349_900);
    // Counters: 3 creations counted, 1 blueprint exists (out of range); 1 counted of 2 (fine).
    ids.e = await createUser(db(), 'e@example.com');
    ids.f = await createUser(db(), 'f@example.com');
    for (const user of [ids.e, ids.f, ids.f]) {
      await db().insertInto('blueprints').values({ user_id: user, title: 'b', content: '{}' }).execute();
    }
    await db()
      .updateTable('user_profiles')
      .set({ blueprint_creation_count: 3 })
      .where('user_id', '=', ids.e)
      .execute();
    await db()
      .updateTable('user_profiles')
      .set({ blueprint_creation_count: 1 })
      .where('user_id', '=', ids.f)
      .execute();
    // Events: stuck 11 minutes past its lease, a lease just run out, failed, pending for 6 minutes.
    const one = async (q: ReturnType<typeof event>) =>
      ((await q.execute(db())).rows[0] as { event_id: string }).event_id;
    ids.stuck = await one(event('processing', '-11 minutes', '-1 minute'));
    await one(event('processing', '-1 minute', '-2 minutes'));
    ids.failed = await one(event('failed', '0 seconds', '-1 hour'));
    ids.pending = await one(event('pending', '0 seconds', '-6 minutes'));
    await one(event('pending', '0 seconds', '-1 minute'));

    const checksum = () =>
      sql<{ sum: string }>`SELECT md5(string_agg(x, '|' ORDER BY x)) AS sum FROM (
        SELECT t::text AS x FROM user_profiles t UNION ALL SELECT t::text FROM subscriptions t
        UNION ALL SELECT t::text FROM payments t UNION ALL SELECT t::text FROM razorpay_webhook_events t
        UNION ALL SELECT t::text FROM audit_log t) rows`.execute(db());
    const before = (await checksum()).rows[0]?.sum;
    const report = await verifyDatabase({ ctx: t.ctx });
    expect((await checksum()).rows[0]?.sum).toBe(before);

    expect(report.ok).toBe(false);
    expect(hits(report.checks)).toEqual({
      runbook_active_tier_mismatch: 1,
      runbook_orphaned_captured_payments: 1,
      profile_tier_mismatch: 2,
      paid_tier_without_live_subscription: 2,
      payment_amount_mismatch: 1,
      usage_counters_out_of_range: 1,
      events_stuck_processing: 1,
      failed_events: 1,
      old_pending_events: 1,
    });
    const c = byName(report.checks);
    expect(c.runbook_active_tier_mismatch?.sampleIds).toEqual([ids.aSub]);
    expect(c.runbook_orphaned_captured_payments?.sampleIds).toEqual([ids.orphan]);
    expect(c.profile_tier_mismatch?.sampleIds).toEqual([ids.a, ids.b].sort());
    expect(c.paid_tier_without_live_subscription?.sampleIds).toEqual([ids.c, ids.d].sort());
    expect(c.payment_amount_mismatch).toMatchObject({ severity: 'warning', sampleIds: [ids.cheap] });
    expect(c.usage_counters_out_of_range?.sampleIds).toEqual([ids.e]);
    expect(c.events_stuck_processing?.sampleIds).toEqual([ids.stuck]);
    expect(c.failed_events?.sampleIds).toEqual([ids.failed]);
    expect(c.old_pending_events?.sampleIds).toEqual([ids.pending]);
    expect(c.runbook_orphaned_captured_payments?.hint).toMatch(/reconcile/);
  });

  it('--fix repairs only the safe ones, each with an audit row; a second run repairs nothing', async () => {
    const report = await repairDatabase({ ctx: t.ctx, input: { actor: 'cli:test' } });
    expect(report.repaired).toEqual({ tiers: 3, events: 1, counters: 1 });
    expect(hits(report.before)).toMatchObject({ profile_tier_mismatch: 2, events_stuck_processing: 1 });
    expect(hits(report.checks)).toEqual({
      runbook_orphaned_captured_payments: 1,
      paid_tier_without_live_subscription: 1,
      payment_amount_mismatch: 1,
      failed_events: 1,
      old_pending_events: 1,
    });
    expect(byName(report.checks).paid_tier_without_live_subscription?.sampleIds).toEqual([ids.c]);
    const tiers = await db()
      .selectFrom('user_profiles')
      .select(['user_id', 'subscription_tier', 'blueprint_creation_count'])
      .where('user_id', 'in', [ids.a, ids.b, ids.d, ids.e] as string[])
      .execute();
    expect(Object.fromEntries(tiers.map((r) => [r.user_id, r.subscription_tier]))).toEqual({
      [ids.a as string]: 'explorer',
      [ids.b as string]: 'free',
      [ids.d as string]: 'free',
      [ids.e as string]: 'free',
    });
    expect(tiers.find((r) => r.user_id === ids.e)?.blueprint_creation_count).toBe(1);
    const stuck = await db()
      .selectFrom('razorpay_webhook_events')
      .select(['processing_status', 'attempts'])
      .where('event_id', '=', ids.stuck as string)
      .executeTakeFirstOrThrow();
    expect(stuck).toEqual({ processing_status: 'pending', attempts: 1 });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target', 'details'])
      .where('action', 'like', 'verify.%')
      .orderBy('id')
      .execute();
    expect(audit.map((r) => [r.actor, r.action, r.target])).toEqual([
      ...[ids.a, ids.b, ids.d].sort().map((id) => ['cli:test', 'verify.rederive_tier', id]),
      ['cli:test', 'verify.release_event', ids.stuck],
      ['cli:test', 'verify.recount_usage', ids.e],
    ]);
    expect(audit.find((r) => r.target === ids.a)?.details).toMatchObject({ from: 'voyager', to: 'explorer' });

    const again = await repairDatabase({ ctx: t.ctx, input: { actor: 'cli:test' } });
    expect(again.repaired).toEqual({ tiers: 0, events: 0, counters: 0 });
    expect(
      await db().selectFrom('audit_log').select('id').where('action', 'like', 'verify.%').execute(),
    ).toHaveLength(5);
  });

  it('is clean once a person settles what --fix leaves', async () => {
    await db().deleteFrom('payments').where('subscription_id', 'is', null).execute();
    await db().updateTable('payments').set({ amount: 349_900 }).where('amount', '=', 1).execute();
    await db()
      .updateTable('user_profiles')
      .set({ subscription_tier: 'free' })
      .where('user_id', '=', ids.c as string)
      .execute();
    await db()
      .deleteFrom('razorpay_webhook_events')
      .where('processing_status', 'in', ['failed', 'pending'])
      .execute();
    const report = await verifyDatabase({ ctx: t.ctx });
    expect(hits(report.checks)).toEqual({});
    expect(report.ok).toBe(true);
  });

  it('two live subscriptions (the unique index gone): an error in the data and in the schema, left by --fix', async () => {
    await sql`DROP INDEX subscriptions_one_live_per_user`.execute(db());
    await createSubscription(db(), ids.a as string, { tier: 'navigator', status: 'pending' });
    const report = await repairDatabase({ ctx: t.ctx, input: { actor: 'cli:test' } });
    const c = byName(report.checks);
    expect(c.two_live_subscriptions).toMatchObject({ count: 1, sampleIds: [ids.a] });
    expect(c.schema?.sampleIds).toEqual(['missing index subscriptions_one_live_per_user on subscriptions']);
    expect(report.repaired.tiers).toBe(0);
    expect(report.ok).toBe(false);
  });
});

describeEachBackend('db verify on a database never migrated', { migrated: false }, (get) => {
  it('fails the schema check and skips the data checks, naming the missing tables; --fix changes nothing', async () => {
    const t = await createTestContext(get());
    try {
      const report = await verifyDatabase({ ctx: t.ctx });
      expect(report.ok).toBe(false);
      const [schema, ...data] = report.checks;
      expect(schema).toMatchObject({
        name: 'schema',
        count: 1,
        sampleIds: ['no migration applied: run polaris db migrate'],
      });
      expect(data).toHaveLength(10);
      for (const check of data)
        expect(check.skipped).toMatch(/^missing tables: user_profiles, subscriptions/);
      const repaired = await repairDatabase({ ctx: t.ctx, input: { actor: 'cli:test' } });
      expect(repaired).toMatchObject({ ok: false, repaired: { tiers: 0, events: 0, counters: 0 } });
    } finally {
      await t.close();
    }
  });
});
