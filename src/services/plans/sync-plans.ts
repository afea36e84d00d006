import type { RzpPlan } from '../../adapters/razorpay/wire.ts';
import type { Result } from '../../domain/errors.ts';
import { type BillingCycle, PLANS, type Plan } from '../../domain/plans.ts';
import type { ServiceContext } from '../context.ts';
import { razorpayFailure } from '../razorpay-failure.ts';

const CURRENCY = 'INR';
const PAGE = 100;

/** What sync did for one tier and cycle. */
export type SyncedPlan = {
  tier: string;
  cycle: BillingCycle;
  amount: number;
  razorpayPlanId: string;
  /** unchanged: already stored; found: adopted from Razorpay by its notes; created: new at Razorpay. */
  action: 'unchanged' | 'found' | 'created';
};

type Want = { plan: Plan; cycle: BillingCycle; amount: number };

/** Every purchasable tier × cycle at today's catalog price (per seat for team tiers). */
function wanted(catalog: readonly Plan[]): Want[] {
  return catalog
    .filter((p) => p.purchasable)
    .flatMap((plan) =>
      (['monthly', 'yearly'] as const).map((cycle) => ({ plan, cycle, amount: plan.pricePaise[cycle] })),
    );
}

/** The notes that identify a plan as ours for one tier, cycle and price. */
export function planNotes(w: { tier: string; cycle: BillingCycle; amount: number }): Record<string, string> {
  return { polaris_tier: w.tier, polaris_cycle: w.cycle, polaris_amount: String(w.amount) };
}

function matches(remote: RzpPlan, w: Want): boolean {
  const notes = Array.isArray(remote.notes) ? {} : (remote.notes as Record<string, unknown>);
  const ours = planNotes({ tier: w.plan.tier, cycle: w.cycle, amount: w.amount });
  return (
    Object.entries(ours).every(([k, v]) => notes[k] === v) &&
    remote.period === w.cycle &&
    remote.interval === 1 &&
    remote.item.amount === w.amount &&
    remote.item.currency === CURRENCY
  );
}

/** Every plan on the Razorpay account (there is no filter by notes), page by page. */
async function listAllPlans(ctx: ServiceContext): Promise<Result<RzpPlan[]>> {
  const all: RzpPlan[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const page = await ctx.gateway.listPlans({ count: PAGE, skip });
    if (!page.ok) return { ok: false, error: razorpayFailure(page.error, 'listing plans') };
    all.push(...page.value.items);
    if (page.value.items.length < PAGE) return { ok: true, value: all };
  }
}

/**
 * `polaris plans sync`: makes sure each purchasable tier × cycle has a Razorpay plan at today's
 * price and that its id is stored. Plans are found by their notes before any is created, so running
 * it again (or after our table is lost) creates nothing; a new price is a new plan, since Razorpay
 * plans cannot be edited. Progress is stored as it goes, so a failure part way is safe to re-run.
 */
export async function syncPlans({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  /** The catalog to sync; the code catalog unless a test prices it differently. */
  input?: { catalog?: readonly Plan[] };
}): Promise<Result<{ plans: SyncedPlan[] }>> {
  const plans: SyncedPlan[] = [];
  let remote: RzpPlan[] | undefined;
  for (const w of wanted(input.catalog ?? PLANS)) {
    const key = { tier: w.plan.tier, cycle: w.cycle, amount: w.amount, currency: CURRENCY };
    const stored = await ctx.repos.razorpayPlans.find(key);
    if (stored) {
      plans.push({ ...key, razorpayPlanId: stored.razorpay_plan_id, action: 'unchanged' });
      continue;
    }
    if (!remote) {
      const listed = await listAllPlans(ctx);
      if (!listed.ok) return listed;
      // Oldest first, so the same plan is adopted every time when duplicates exist.
      remote = listed.value.sort(
        (a, b) => (a.created_at ?? 0) - (b.created_at ?? 0) || a.id.localeCompare(b.id),
      );
    }
    const found = remote.find((r) => matches(r, w));
    let planId = found?.id;
    if (!planId) {
      const suffix = w.plan.perSeat ? ' (per seat)' : '';
      const created = await ctx.gateway.createPlan({
        period: w.cycle,
        interval: 1,
        item: {
          name: `${w.plan.name} Plan - ${w.cycle === 'monthly' ? 'Monthly' : 'Yearly'}${suffix}`,
          amount: w.amount,
          currency: CURRENCY,
          description: `SmartSlate Polaris ${w.plan.name}, billed ${w.cycle}${suffix}`,
        },
        notes: planNotes(key),
      });
      if (!created.ok) {
        return {
          ok: false,
          error: razorpayFailure(created.error, `creating the ${key.tier} ${key.cycle} plan`),
        };
      }
      planId = created.value.id;
      remote.push(created.value);
    }
    const row = await ctx.repos.razorpayPlans.store(key, planId);
    plans.push({ ...key, razorpayPlanId: row.razorpay_plan_id, action: found ? 'found' : 'created' });
    ctx.log.info({ tier: key.tier, cycle: key.cycle, amount: key.amount, planId }, 'razorpay plan stored');
  }
  return { ok: true, value: { plans } };
}
