import { Command } from 'commander';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { describeEachBackend } from '../../../test/support/databases.ts';
import { PLANS } from '../../domain/plans.ts';
import { registerPlansCommands } from '../../interfaces/cli/commands/plans.ts';
import type { CliRuntime } from '../../interfaces/cli/runtime.ts';
import { syncPlans } from './sync-plans.ts';

const PURCHASABLE = PLANS.filter((p) => p.purchasable).length * 2;

describeEachBackend('polaris plans sync', { migrated: true }, (get) => {
  let t: Awaited<ReturnType<typeof createTestContext>>;
  beforeAll(async () => {
    t = await createTestContext(get());
  });
  afterAll(async () => t?.close());

  const emulatorPlans = () => [...t.emulator.ctx.state.plans.values()];
  const stored = () => get().db.selectFrom('razorpay_plans').selectAll().orderBy('id').execute();
  const sync = async (catalog = PLANS) => {
    const result = await syncPlans({ ctx: t.ctx, input: { catalog } });
    if (!result.ok) throw result.error;
    return result.value.plans;
  };

  it('creates one plan per purchasable tier and cycle, then running again creates nothing', async () => {
    const first = await sync();
    expect(first).toHaveLength(PURCHASABLE);
    expect(first.every((p) => p.action === 'created')).toBe(true);
    expect(emulatorPlans()).toHaveLength(PURCHASABLE);
    expect(await stored()).toHaveLength(PURCHASABLE);

    const second = await sync();
    expect(second.every((p) => p.action === 'unchanged')).toBe(true);
    expect(second.map((p) => p.razorpayPlanId)).toEqual(first.map((p) => p.razorpayPlanId));
    expect(emulatorPlans()).toHaveLength(PURCHASABLE);
    expect(await stored()).toHaveLength(PURCHASABLE);
  });

  it('creates plans as Razorpay expects: monthly/yearly, interval 1, per-seat amount, our notes', async () => {
    const byTier = (tier: string, cycle: string) =>
      emulatorPlans().find(
        (p) => p.notes && (p.notes as Record<string, string>).polaris_tier === tier && p.period === cycle,
      );
    expect(byTier('crew', 'monthly')).toMatchObject({
      period: 'monthly',
      interval: 1,
      item: { amount: 199_900, currency: 'INR', name: 'Crew Plan - Monthly (per seat)' },
      notes: { polaris_tier: 'crew', polaris_cycle: 'monthly', polaris_amount: '199900' },
    });
    expect(byTier('navigator', 'yearly')).toMatchObject({
      period: 'yearly',
      interval: 1,
      item: { amount: 3_499_000 },
    });
    expect(byTier('free', 'monthly')).toBeUndefined();
    expect(byTier('enterprise', 'monthly')).toBeUndefined();
  });

  it('finds existing plans by their notes after our table is wiped, across pages of other plans', async () => {
    const before = await stored();
    // More than one page (100) of plans that are not ours, some with look-alike notes.
    for (let i = 0; i < 105; i++) {
      const made = await t.ctx.gateway.createPlan({
        period: 'monthly',
        interval: 1,
        item: { name: `Other ${i}`, amount: 349_900 + (i % 2), currency: 'INR' },
        notes: i % 2 ? { polaris_tier: 'navigator', polaris_cycle: 'monthly', polaris_amount: '349901' } : {},
      });
      expect(made.ok).toBe(true);
    }
    const count = emulatorPlans().length;
    await get().db.deleteFrom('razorpay_plans').execute();

    const plans = await sync();
    expect(plans.every((p) => p.action === 'found')).toBe(true);
    expect(emulatorPlans()).toHaveLength(count);
    expect((await stored()).map((r) => r.razorpay_plan_id).sort()).toEqual(
      before.map((r) => r.razorpay_plan_id).sort(),
    );
  });

  it('a price change creates a new plan and stores its id; the old plan stays recorded', async () => {
    const repriced = PLANS.map((p) =>
      p.tier === 'navigator' ? { ...p, pricePaise: { ...p.pricePaise, monthly: 379_900 } } : p,
    );
    const count = emulatorPlans().length;
    const plans = await sync(repriced);
    const changed = plans.filter((p) => p.action !== 'unchanged');
    expect(changed).toEqual([
      expect.objectContaining({ tier: 'navigator', cycle: 'monthly', amount: 379_900, action: 'created' }),
    ]);
    expect(emulatorPlans()).toHaveLength(count + 1);
    const rows = (await stored()).filter((r) => r.tier === 'navigator' && r.cycle === 'monthly');
    expect(rows.map((r) => r.amount).sort()).toEqual([349_900, 379_900]);
    expect(rows.find((r) => r.amount === 379_900)?.razorpay_plan_id).toBe(changed[0]?.razorpayPlanId);
    expect((await sync(repriced)).every((p) => p.action === 'unchanged')).toBe(true);
  });

  it('reports Razorpay being down as unavailable and stores nothing wrong', async () => {
    await get().db.deleteFrom('razorpay_plans').where('tier', '=', 'voyager').execute();
    t.emulator.startApiOutage({ mode: 'error', status: 503, duration_ms: 60_000 });
    try {
      const result = await syncPlans({ ctx: t.ctx });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('unavailable');
        expect(result.error.message).toMatch(/Razorpay answered 503.*listing plans/);
      }
      expect((await stored()).filter((r) => r.tier === 'voyager')).toEqual([]);
    } finally {
      t.emulator.stopApiOutage();
    }
    expect((await sync()).filter((p) => p.action === 'found').map((p) => p.tier)).toEqual([
      'voyager',
      'voyager',
    ]);
  });

  it('`polaris plans sync --json` prints what it did', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const program = new Command('polaris').exitOverride();
      const runtime = { withContext: (work) => work(t.ctx) } as Pick<CliRuntime, 'withContext'> as CliRuntime;
      registerPlansCommands(program, runtime, () => true);
      await program.parseAsync(['plans', 'sync'], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    const printed = JSON.parse(out.join('')) as { ok: boolean; created: number; plans: unknown[] };
    expect(printed).toMatchObject({ ok: true, created: 0, found: 0 });
    expect(printed.plans).toHaveLength(PURCHASABLE);
  });
});
