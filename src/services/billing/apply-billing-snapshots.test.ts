import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { createUser } from '../../../test/support/seed.ts';
import { createNavigatorPlan, subscribeAndPay } from '../../../test/webhook-fixtures.ts';
import type { RazorpayGateway } from '../../adapters/razorpay/gateway.ts';
import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { snapshotFromEvent } from '../webhooks/snapshot-from-event.ts';
import { applyBillingSnapshots } from './apply-billing-snapshots.ts';
import type { BillingSnapshot } from './steps/snapshot-types.ts';

describeEachBackend('applyBillingSnapshots', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  let planId: string;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => {
    await t?.close();
  });
  // Each test starts from an empty emulator (so a clock advance renews only its own
  // subscriptions) and no billing rows.
  beforeEach(async () => {
    t.emulator.reset();
    planId = await createNavigatorPlan(t.ctx);
    await sql`UPDATE user_profiles SET subscription_id = NULL, subscription_tier = 'free'`.execute(get().db);
    await sql`DELETE FROM payments`.execute(get().db);
    await sql`DELETE FROM subscriptions`.execute(get().db);
  });

  // The real gateway, counting the calls the applier makes through it.
  const counting = () => {
    const calls: string[] = [];
    const gateway = new Proxy(t.ctx.gateway, {
      get(target, name: keyof RazorpayGateway) {
        const value = target[name];
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    return { ctx: { ...t.ctx, gateway } as ServiceContext, calls };
  };

  // Snapshots of every event the emulator emitted since `from` (an events() length), in emission order.
  const snapshotsSince = (from: number) => {
    const out: BillingSnapshot[] = [];
    for (const e of t.emulator.events().slice(from)) {
      const snap = snapshotFromEvent({ event_type: e.event, payload: e.body });
      if (!snap.ok) throw snap.error;
      if (snap.value) out.push(snap.value);
    }
    return out;
  };

  const dump = async () => {
    const subs = await sql<
      Record<string, unknown>
    >`SELECT razorpay_subscription_id, status, paid_count, current_start, current_end,
      last_event_at, subscription_tier FROM subscriptions ORDER BY razorpay_subscription_id`.execute(
      get().db,
    );
    const pays = await sql<
      Record<string, unknown>
    >`SELECT p.razorpay_payment_id, p.status, p.amount, p.captured_at, p.billing_period_start,
      p.billing_period_end, s.razorpay_subscription_id, p.user_id IS NOT NULL AS has_user
      FROM payments p LEFT JOIN subscriptions s USING (subscription_id) ORDER BY p.razorpay_payment_id`.execute(
      get().db,
    );
    const users = await sql`SELECT email, subscription_tier FROM user_profiles
      WHERE email LIKE 'batch-%' ORDER BY email`.execute(get().db);
    return { subs: subs.rows, pays: pays.rows, users: users.rows };
  };

  // n users subscribe and pay, and renew once; their Razorpay ids and every event it made.
  const subscribers = async (prefix: string, n: number) => {
    const from = t.emulator.events().length;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const userId = await createUser(get().db, `batch-${prefix}-${i}@example.com`);
      ids.push(await subscribeAndPay(t, userId, planId));
    }
    t.emulator.advanceClock(31 * 86_400);
    return { ids, snapshots: snapshotsSince(from) };
  };

  it('one batch in any order gives the rows of its events applied one at a time in order', async () => {
    const { ids, snapshots } = await subscribers('order', 4);
    expect(snapshots.length).toBeGreaterThanOrEqual(4 * 8);
    for (const snap of snapshots) {
      await applyBillingSnapshots({ ctx: t.ctx, input: { snapshots: [snap] } });
    }
    const inOrder = await dump();
    expect(inOrder.subs.map((s) => [s.status, s.paid_count])).toEqual(ids.map(() => ['active', 2]));
    expect(inOrder.pays).toHaveLength(8);
    expect(inOrder.pays.every((p) => p.status === 'captured' && p.has_user && p.billing_period_start)).toBe(
      true,
    );

    for (const order of [[...snapshots].reverse(), interleave(snapshots)]) {
      await sql`UPDATE user_profiles SET subscription_id = NULL, subscription_tier = 'free'`.execute(
        get().db,
      );
      await sql`DELETE FROM payments`.execute(get().db);
      await sql`DELETE FROM subscriptions`.execute(get().db);
      await applyBillingSnapshots({ ctx: t.ctx, input: { snapshots: order } });
      expect(await dump()).toEqual(inOrder);
    }
  });

  const auditRows = async () =>
    get()
      .db.selectFrom('audit_log')
      .select(['actor', 'action', 'target', 'details'])
      .orderBy('id')
      .execute() as Promise<
      { actor: string; action: string; target: string; details: Record<string, unknown> }[]
    >;

  it('applying a batch again writes nothing, reports every snapshot unchanged and adds no audit row', async () => {
    const { snapshots } = await subscribers('again', 2);
    await sql`DELETE FROM audit_log`.execute(get().db);
    const first = await applyBillingSnapshots({ ctx: t.ctx, input: { snapshots, actor: 'test-batch' } });
    expect(first.some((o) => o.changed)).toBe(true);
    const stamps =
      await sql`SELECT updated_at FROM payments UNION ALL SELECT updated_at FROM subscriptions`.execute(
        get().db,
      );
    const audited = await auditRows();
    // One row per entity changed, not per snapshot: 2 subscriptions and their 4 payments.
    expect(audited.filter((a) => a.action === 'subscription.sync')).toHaveLength(2);
    expect(audited.filter((a) => a.action === 'payment.sync')).toHaveLength(4);
    expect(audited.every((a) => a.actor === 'test-batch')).toBe(true);
    expect(audited.find((a) => a.action === 'subscription.sync')!.details).toMatchObject({
      created: true,
      from: 'created',
      to: 'active',
      paidCount: 2,
    });
    const again = await applyBillingSnapshots({ ctx: t.ctx, input: { snapshots, actor: 'test-batch' } });
    expect(await auditRows()).toEqual(audited);
    expect(again.map((o) => o.changed)).toEqual(snapshots.map(() => false));
    expect(again.map((o) => o.id)).toEqual(first.map((o) => o.id));
    const after =
      await sql`SELECT updated_at FROM payments UNION ALL SELECT updated_at FROM subscriptions`.execute(
        get().db,
      );
    expect(after.rows).toEqual(stamps.rows);
  });

  it('a status a row passes through within a batch reaches the profile as it would one event at a time', async () => {
    const { ids, snapshots } = await subscribers('pause', 1);
    const last = snapshots.filter((x) => x.kind === 'subscription').at(-1)!;
    if (last.kind !== 'subscription') throw new Error('no subscription snapshot');
    const at = (seconds: number) => new Date(last.eventAt!.getTime() + seconds * 1000);
    const paused: BillingSnapshot = {
      kind: 'subscription',
      subscription: { ...last.subscription, status: 'paused' },
      eventAt: at(60),
    };
    const resumed: BillingSnapshot = {
      kind: 'subscription',
      subscription: { ...last.subscription, status: 'active' },
      eventAt: at(120),
    };
    const profileAfter = async (batches: BillingSnapshot[][]) => {
      await sql`UPDATE user_profiles SET subscription_id = NULL, subscription_tier = 'free'`.execute(
        get().db,
      );
      await sql`DELETE FROM payments`.execute(get().db);
      await sql`DELETE FROM subscriptions`.execute(get().db);
      await applyBillingSnapshots({ ctx: t.ctx, input: { snapshots } });
      await sql`UPDATE user_profiles SET blueprint_creation_count = 3 WHERE email LIKE 'batch-pause-%'`.execute(
        get().db,
      );
      for (const batch of batches) {
        await applyBillingSnapshots({ ctx: t.ctx, input: { snapshots: batch } });
      }
      const subscription = await get()
        .db.selectFrom('subscriptions')
        .select('status')
        .where('razorpay_subscription_id', '=', ids[0]!)
        .executeTakeFirstOrThrow();
      const profile = await get()
        .db.selectFrom('user_profiles')
        .select(['subscription_tier', 'blueprint_creation_count', 'usage_period_start'])
        .where('email', 'like', 'batch-pause-%')
        .executeTakeFirstOrThrow();
      return { subscription, profile };
    };
    const oneByOne = await profileAfter([[paused], [resumed]]);
    expect(oneByOne.subscription.status).toBe('active');
    expect(oneByOne.profile.subscription_tier).toBe('navigator');
    expect(await profileAfter([[paused, resumed]])).toEqual(oneByOne);
  });

  it("asks Razorpay only for what the batch cannot say: a new subscription's own copy, and a lone payment's invoice and subscription", async () => {
    const { ids, snapshots } = await subscribers('lone', 1);
    // A subscription we have no row for is created from Razorpay's copy, fetched once.
    const batch = counting();
    await applyBillingSnapshots({ ctx: batch.ctx, input: { snapshots } });
    expect(batch.calls).toEqual(['fetchSubscription']);
    const again = counting();
    await applyBillingSnapshots({ ctx: again.ctx, input: { snapshots } });
    expect(again.calls).toEqual([]);

    await sql`DELETE FROM payments`.execute(get().db);
    await sql`UPDATE user_profiles SET subscription_id = NULL`.execute(get().db);
    await sql`DELETE FROM subscriptions`.execute(get().db);
    // payment.captured: the payment alone, naming neither invoice's subscription nor ours.
    const captured = snapshots.find(
      (s) => s.kind === 'payment' && s.payment.status === 'captured' && !s.razorpaySubscriptionId,
    )!;
    const lone = counting();
    const result = await applyBillingSnapshots({ ctx: lone.ctx, input: { snapshots: [captured] } });
    expect(result).toMatchObject([{ status: 'captured', changed: true }]);
    expect(lone.calls).toEqual(['fetchInvoice', 'fetchSubscription']);
    const row = await get()
      .db.selectFrom('payments')
      .innerJoin('subscriptions', 'subscriptions.subscription_id', 'payments.subscription_id')
      .select(['subscriptions.razorpay_subscription_id', 'subscriptions.status'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ razorpay_subscription_id: ids[0], status: 'active' });
  });

  it('one subscription that is not ours rolls the whole batch back and names it', async () => {
    const from = t.emulator.events().length;
    await subscribers('mixed', 1);
    const foreign = await t.ctx.gateway.createSubscription({ planId, totalCount: 12, notes: {} });
    if (!foreign.ok) throw foreign.error;
    t.emulator.completeCheckout({ subscription_id: foreign.value.id });
    const snapshots = snapshotsSince(from);
    const refused = await applyBillingSnapshots({ ctx: t.ctx, input: { snapshots } }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'not_found' });
    expect((refused as AppError).message).toContain(foreign.value.id);
    const counts = await sql<{ n: string }>`SELECT (SELECT count(*) FROM subscriptions)
      + (SELECT count(*) FROM payments) AS n`.execute(get().db);
    expect(Number(counts.rows[0]!.n)).toBe(0);
  });
});

// Every other snapshot first, then the rest: a deterministic order far from the emitted one.
function interleave<T>(items: T[]): T[] {
  return [...items.filter((_, i) => i % 2 === 1), ...items.filter((_, i) => i % 2 === 0)];
}
