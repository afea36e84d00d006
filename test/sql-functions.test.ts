import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Database } from '../src/adapters/db/schema.ts';
import type { PaymentStatus, SubscriptionStatus } from '../src/domain/billing-state.ts';
import type { Tier } from '../src/domain/plans.ts';
import { blueprintLimit, PLANS } from '../src/domain/plans.ts';
import { describeEachBackend } from './support/databases.ts';
import { createSubscription, createUser } from './support/seed.ts';

type Stats = {
  subscription_tier: string;
  blueprints_created: number;
  blueprints_saved: number;
  blueprint_limit: number | null;
  blueprints_remaining: number | null;
  period_start: Date | null;
};
type Increment = {
  allowed: boolean;
  blueprints_created: number;
  blueprint_limit: number | null;
  blueprints_remaining: number | null;
};

const profile = (db: Kysely<Database>, userId: string) =>
  db.selectFrom('user_profiles').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
const stats = async (db: Kysely<Database>, userId: string) =>
  (await sql<Stats>`SELECT * FROM calculate_user_blueprint_stats(${userId}::uuid)`.execute(db)).rows[0]!;
const increment = async (db: Kysely<Database>, userId: string) =>
  (await sql<Increment>`SELECT * FROM increment_blueprint_creation_count(${userId}::uuid)`.execute(db))
    .rows[0]!;
const setStatus = (db: Kysely<Database>, subscriptionId: string, status: SubscriptionStatus) =>
  db.updateTable('subscriptions').set({ status }).where('subscription_id', '=', subscriptionId).execute();

describeEachBackend('SQL functions', { migrated: true }, (get) => {
  it('get_active_subscription returns the live subscription only', async () => {
    const db = get().db;
    const user = await createUser(db, 'active@example.com');
    const none = await sql`SELECT * FROM get_active_subscription(${user}::uuid)`.execute(db);
    expect(none.rows).toEqual([]);
    const old = await createSubscription(db, user, { status: 'cancelled' });
    const live = await createSubscription(db, user, { status: 'active' });
    const rows = (
      await sql<{ subscription_id: string }>`SELECT * FROM get_active_subscription(${user}::uuid)`.execute(db)
    ).rows;
    expect(rows.map((r) => r.subscription_id)).toEqual([live]);
    expect(rows.map((r) => r.subscription_id)).not.toContain(old);
  });

  it('refuses a second live subscription for the same user', async () => {
    const db = get().db;
    const user = await createUser(db, 'twice@example.com');
    await createSubscription(db, user, { status: 'created' });
    await expect(createSubscription(db, user, { status: 'active' })).rejects.toThrow(
      /subscriptions_one_live_per_user/,
    );
  });

  it('sync trigger: tier and subscription_id follow the live subscription, back to free when it ends, role untouched', async () => {
    const db = get().db;
    const user = await createUser(db, 'sync@example.com', 'admin');
    const sub = await createSubscription(db, user, { tier: 'voyager', status: 'created' });
    expect(await profile(db, user)).toMatchObject({
      subscription_tier: 'free',
      subscription_id: sub,
      role: 'admin',
    });
    await setStatus(db, sub, 'active');
    expect(await profile(db, user)).toMatchObject({
      subscription_tier: 'voyager',
      subscription_id: sub,
      role: 'admin',
    });
    await setStatus(db, sub, 'pending');
    expect(await profile(db, user)).toMatchObject({ subscription_tier: 'voyager' });
    await setStatus(db, sub, 'halted');
    expect(await profile(db, user)).toMatchObject({ subscription_tier: 'free', subscription_id: sub });
    await setStatus(db, sub, 'active');
    await setStatus(db, sub, 'cancelled');
    expect(await profile(db, user)).toMatchObject({
      subscription_tier: 'free',
      subscription_id: null,
      role: 'admin',
    });

    // A late change to the ended subscription never overrides its successor.
    const next = await createSubscription(db, user, { tier: 'navigator', status: 'active' });
    await db
      .updateTable('subscriptions')
      .set({ notes: { late: true } })
      .where('subscription_id', '=', sub)
      .execute();
    expect(await profile(db, user)).toMatchObject({ subscription_tier: 'navigator', subscription_id: next });
  });

  it('a new paid period resets the counters; the same period keeps them', async () => {
    const db = get().db;
    const user = await createUser(db, 'period@example.com');
    const start = new Date('2026-01-01T00:00:00Z');
    const sub = await createSubscription(db, user, { tier: 'explorer', currentStart: start });
    await increment(db, user);
    await increment(db, user);
    await db.updateTable('subscriptions').set({ paid_count: 1 }).where('subscription_id', '=', sub).execute();
    expect((await stats(db, user)).blueprints_created).toBe(2);
    const renewed = new Date('2026-02-01T00:00:00Z');
    await db
      .updateTable('subscriptions')
      .set({ current_start: renewed, current_end: new Date('2026-03-01T00:00:00Z'), paid_count: 2 })
      .where('subscription_id', '=', sub)
      .execute();
    const after = await stats(db, user);
    expect(after.blueprints_created).toBe(0);
    expect(after.period_start?.toISOString()).toBe(renewed.toISOString());
  });

  it('calculate_user_blueprint_stats reports created, saved, limit, remaining and period from the catalog', async () => {
    const db = get().db;
    const free = await createUser(db, 'free@example.com');
    expect(await stats(db, free)).toMatchObject({
      subscription_tier: 'free',
      blueprints_created: 0,
      blueprints_saved: 0,
      blueprint_limit: 2,
      blueprints_remaining: 2,
      period_start: null,
    });
    const team = await createUser(db, 'team@example.com');
    await createSubscription(db, team, { tier: 'crew', seats: 3 });
    expect(await stats(db, team)).toMatchObject({
      blueprint_limit: blueprintLimit('crew', 3),
      blueprints_remaining: 30,
    });
    const big = await createUser(db, 'enterprise@example.com');
    await createSubscription(db, big, { tier: 'enterprise' });
    expect(await stats(db, big)).toMatchObject({ blueprint_limit: null, blueprints_remaining: null });
    await expect(stats(db, '00000000-0000-0000-0000-000000000000')).rejects.toThrow(/no user profile/);
  });

  it('increment_blueprint_creation_count refuses beyond the limit; seats multiply; unlimited never refuses', async () => {
    const db = get().db;
    const free = await createUser(db, 'inc-free@example.com');
    expect((await increment(db, free)).allowed).toBe(true);
    expect(await increment(db, free)).toEqual({
      allowed: true,
      blueprints_created: 2,
      blueprint_limit: 2,
      blueprints_remaining: 0,
    });
    expect(await increment(db, free)).toEqual({
      allowed: false,
      blueprints_created: 2,
      blueprint_limit: 2,
      blueprints_remaining: 0,
    });
    expect((await profile(db, free)).blueprint_creation_count).toBe(2);

    const team = await createUser(db, 'inc-team@example.com');
    await createSubscription(db, team, { tier: 'crew', seats: 2 });
    const results = [];
    for (let i = 0; i < 21; i++) results.push((await increment(db, team)).allowed);
    expect(results.filter(Boolean)).toHaveLength(20);
    expect(results.at(-1)).toBe(false);

    const dev = await createUser(db, 'inc-dev@example.com');
    await createSubscription(db, dev, { tier: 'developer' });
    for (let i = 0; i < 60; i++) expect((await increment(db, dev)).allowed).toBe(true);
  });

  it('two concurrent increments at the last free unit: exactly one succeeds', async () => {
    const db = get().db;
    for (let round = 0; round < 5; round++) {
      const user = await createUser(db, `race-${round}@example.com`);
      await increment(db, user);
      const outcomes = await Promise.all([increment(db, user), increment(db, user)]);
      expect(outcomes.map((o) => o.allowed).sort()).toEqual([false, true]);
      expect((await profile(db, user)).blueprint_creation_count).toBe(2);
    }
  });

  it('cancel_subscription: at cycle end keeps access and sets the flag; now ends it; nothing live is an error', async () => {
    const db = get().db;
    const user = await createUser(db, 'cancel@example.com');
    const sub = await createSubscription(db, user, { tier: 'navigator' });
    const atEnd = await sql<{
      status: string;
      cancel_at_cycle_end: boolean;
    }>`SELECT * FROM cancel_subscription(${user}::uuid, true)`.execute(db);
    expect(atEnd.rows[0]).toMatchObject({ status: 'active', cancel_at_cycle_end: true });
    expect(await profile(db, user)).toMatchObject({ subscription_tier: 'navigator', subscription_id: sub });

    const now = await sql<{
      status: string;
      ended_at: Date | null;
    }>`SELECT * FROM cancel_subscription(${user}::uuid, false)`.execute(db);
    expect(now.rows[0]?.status).toBe('cancelled');
    expect(now.rows[0]?.ended_at).toBeInstanceOf(Date);
    expect(await profile(db, user)).toMatchObject({ subscription_tier: 'free', subscription_id: null });
    await expect(sql`SELECT * FROM cancel_subscription(${user}::uuid)`.execute(db)).rejects.toThrow(
      /no live subscription/,
    );
  });

  it('constraints refuse bad states: negative amounts and counters, unknown statuses, duplicate Razorpay ids', async () => {
    const db = get().db;
    const user = await createUser(db, 'constraints@example.com');
    const bad = [
      db
        .insertInto('payments')
        .values({ razorpay_payment_id: 'pay_Negative000001', amount: -1, status: 'captured' }),
      db
        .insertInto('payments')
        .values({ razorpay_payment_id: 'pay_BadStatus00001', amount: 1, status: 'paid' as PaymentStatus }),
      db.updateTable('user_profiles').set({ blueprint_creation_count: -1 }).where('user_id', '=', user),
      db
        .updateTable('user_profiles')
        .set({ subscription_tier: 'gold' as Tier })
        .where('user_id', '=', user),
      db
        .insertInto('razorpay_webhook_events')
        .values({ event_id: 'E1', event_type: 'x', payload: '{}', processing_status: 'failed' }),
    ];
    for (const query of bad) await expect(query.execute()).rejects.toThrow(/violates check constraint/);
    await db
      .insertInto('payments')
      .values({ razorpay_payment_id: 'pay_Duplicate00001', amount: 1, status: 'captured' })
      .execute();
    await expect(
      db
        .insertInto('payments')
        .values({ razorpay_payment_id: 'pay_Duplicate00001', amount: 2, status: 'failed' })
        .execute(),
    ).rejects.toThrow(/duplicate key/);
    await db
      .insertInto('razorpay_webhook_events')
      .values({ event_id: 'Rp71ZiqdEWusLa', event_type: 'a', payload: '{}' })
      .execute();
    await expect(
      db
        .insertInto('razorpay_webhook_events')
        .values({ event_id: 'Rp71ZiqdEWusLa', event_type: 'a', payload: '{}' })
        .execute(),
    ).rejects.toThrow(/duplicate key/);
  });

  it('the database tier list and plan_catalog agree with src/domain/plans.ts', async () => {
    const db = get().db;
    const def = await sql<{
      d: string;
    }>`SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE conname = 'user_profiles_subscription_tier_check'`.execute(
      db,
    );
    const tiers = [...(def.rows[0]?.d ?? '').matchAll(/'([a-z]+)'/g)].map((m) => m[1]).sort();
    expect(tiers).toEqual(PLANS.map((p) => p.tier).sort());
    const catalog = await db.selectFrom('plan_catalog').selectAll().orderBy('tier').execute();
    expect(catalog.map((c) => [c.tier, c.blueprint_limit, c.per_seat])).toEqual(
      [...PLANS]
        .sort((a, b) => a.tier.localeCompare(b.tier))
        .map((p) => [p.tier, p.blueprintLimit, p.perSeat]),
    );
  });
});
