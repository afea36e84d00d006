import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { createUser } from '../../../test/support/seed.ts';
import { syncPlans } from '../plans/sync-plans.ts';
import { startCheckout } from '../subscriptions/start-checkout.ts';
import { convergeSubscription } from './converge-subscription.ts';

describeEachBackend('convergeSubscription', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
    expect((await syncPlans({ ctx: t.ctx })).ok).toBe(true);
  });
  afterAll(async () => {
    await t?.close();
  });

  const activeSubscription = async (email: string) => {
    const userId = await createUser(get().db, email);
    const outcome = await startCheckout({
      ctx: t.ctx,
      input: { userId, tier: 'explorer', cycle: 'monthly' },
    });
    const rzpId = outcome.subscription.razorpaySubscriptionId!;
    expect(t.emulator.completeCheckout({ subscription_id: rzpId, instrument: 'card_success' }).ok).toBe(true);
    const fetched = await t.ctx.gateway.fetchSubscription(rzpId);
    if (!fetched.ok) throw fetched.error;
    await convergeSubscription({ ctx: t.ctx, input: { subscription: fetched.value } });
    return { userId, entity: fetched.value };
  };
  const profileTier = async (userId: string) =>
    (
      await get()
        .db.selectFrom('user_profiles')
        .select('subscription_tier')
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow()
    ).subscription_tier;

  it('a plan change moves our tier, cycle and amount to the plan we stored for the new plan id', async () => {
    const { userId, entity } = await activeSubscription('change@example.com');
    expect(await profileTier(userId)).toBe('explorer');
    const voyager = (await get().db.selectFrom('razorpay_plans').selectAll().execute()).find(
      (p) => p.tier === 'voyager' && p.cycle === 'yearly',
    )!;
    const updated = { ...entity, plan_id: voyager.razorpay_plan_id };
    const result = await convergeSubscription({
      ctx: t.ctx,
      input: { subscription: updated, eventCreatedAt: t.emulator.now() + 10 },
    });
    expect(result).toMatchObject({ status: 'active', changed: true });
    const row = await get()
      .db.selectFrom('subscriptions')
      .selectAll()
      .where('razorpay_subscription_id', '=', entity.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      subscription_tier: 'voyager',
      billing_cycle: 'yearly',
      plan_amount: voyager.amount,
    });
    expect(await profileTier(userId)).toBe('voyager');
  });

  it('an unknown plan id keeps our tier; applying the same snapshot twice changes nothing', async () => {
    const { userId, entity } = await activeSubscription('unknown-plan@example.com');
    const input = {
      subscription: { ...entity, plan_id: 'plan_NotOurs00000001' },
      eventCreatedAt: t.emulator.now() + 10,
    };
    await convergeSubscription({ ctx: t.ctx, input });
    const again = await convergeSubscription({ ctx: t.ctx, input });
    expect(again).toMatchObject({ changed: false });
    expect(await profileTier(userId)).toBe('explorer');
  });
});
