import type { Repos } from '../../../adapters/db/repos.ts';
import type { Subscription } from '../../../adapters/db/schema.ts';
import type { RazorpayPlanRow } from '../../../adapters/db/schema-checkout.ts';
import { decideSubscription } from '../../../domain/billing-state.ts';
import { present } from '../../../domain/present.ts';
import type { SubscriptionEntity } from '../../../domain/razorpay-event.ts';
import type { ServiceContext } from '../../context.ts';
import { cannotApply, razorpayAbort } from './billing-failures.ts';
import { createSubscriptionsFromNotes } from './create-from-notes.ts';
import { changedKeys, notesOf, sentOrKept, subscriptionColumns } from './row-columns.ts';
import type { BillingSnapshot, SubscriptionOutcome, SubscriptionSnapshot } from './snapshot-types.ts';

/** Our subscription rows after the batch, by Razorpay id, and each subscription snapshot's outcome by index. */
export type MergedSubscriptions = {
  rows: Map<string, Subscription>;
  outcomes: Map<number, SubscriptionOutcome>;
};

type PlanCache = { repos: Repos; plans: Map<string, RazorpayPlanRow | undefined> };

/**
 * Locks every subscription the batch touches (creating missing ones from their notes, fetching
 * from Razorpay those only a payment names), applies the batch's snapshots in order in memory
 * through the state machine, and writes the changed rows with one conditional statement and an
 * audit row each.
 */
export async function mergeSubscriptions(
  ctx: Pick<ServiceContext, 'gateway' | 'log'>,
  repos: Repos,
  snapshots: BillingSnapshot[],
  linkedIds: string[],
  actor: string,
): Promise<MergedSubscriptions> {
  const firstSnapshot = new Map<string, SubscriptionSnapshot>();
  for (const snap of snapshots) {
    if (snap.kind === 'subscription' && !firstSnapshot.has(snap.subscription.id)) {
      firstSnapshot.set(snap.subscription.id, snap);
    }
  }
  const wanted = [...new Set([...firstSnapshot.keys(), ...linkedIds])].sort();
  const rows = new Map<string, Subscription>();
  const razorpayIdOf = (row: Subscription) =>
    present(row.razorpay_subscription_id, 'a Razorpay subscription id');
  for (const row of await repos.billing.lockSubscriptionsByRazorpayIds(wanted)) {
    rows.set(razorpayIdOf(row), row);
  }
  // A subscription we have no row for is created from Razorpay's own copy: an event's notes alone
  // would let anyone holding the webhook secret grant a paid tier. A copy fetched by the caller
  // (verify, cancel) is Razorpay's already.
  const fetched = new Map<string, SubscriptionEntity>();
  const missing = wanted.filter((id) => !rows.has(id));
  for (const id of missing) {
    const first = firstSnapshot.get(id);
    if (first?.eventAt === null) {
      fetched.set(id, first.subscription);
      continue;
    }
    const entity = await ctx.gateway.fetchSubscription(id);
    if (!entity.ok) throw razorpayAbort(entity.error, `fetching subscription ${id}`);
    if (first && !samePolarisNotes(first.subscription, entity.value)) {
      ctx.log.warn(
        { security: 'webhook_notes_mismatch', subscription: id },
        "a signed event's notes differ from Razorpay's copy of the subscription",
      );
      throw cannotApply(`the event's notes for subscription ${id} differ from Razorpay's copy`);
    }
    fetched.set(id, entity.value);
  }
  const created = await createSubscriptionsFromNotes(
    repos,
    missing.map((id) => present(fetched.get(id), `Razorpay's copy of ${id}`)),
  );
  for (const row of created.rows) rows.set(razorpayIdOf(row), row);
  const before = new Map(rows);
  const rowOf = (id: string) => present(rows.get(id), `our row of subscription ${id}`);
  const beforeOf = (id: string) => present(before.get(id), `our row of subscription ${id}`);

  const plans: PlanCache = { repos, plans: new Map() };
  // The last state of each status a row passes through within the batch: the profile trigger
  // acts on status moves (paused drops access, active regains it), so each one is written.
  const passed = new Map<string, Subscription[]>();
  const advance = (id: string, next: Subscription) => {
    const previous = rowOf(id);
    if (next.status !== previous.status && previous !== before.get(id)) {
      passed.set(id, [...(passed.get(id) ?? []), previous]);
    }
    rows.set(id, next);
  };
  for (const [id, entity] of fetched) {
    if (firstSnapshot.get(id)?.subscription === entity) continue; // applied below, in its turn
    advance(id, (await step(ctx, plans, rowOf(id), entity, null)).row);
  }
  const outcomes = new Map<number, { id: string; razorpayId: string; changed: boolean }>();
  const seen = new Set<string>();
  for (const [index, snap] of snapshots.entries()) {
    if (snap.kind !== 'subscription') continue;
    const id = snap.subscription.id;
    const next = await step(ctx, plans, rowOf(id), snap.subscription, snap.eventAt);
    advance(id, next.row);
    const inserted = created.created.has(id) && !seen.has(id);
    seen.add(id);
    outcomes.set(index, { id: next.row.subscription_id, razorpayId: id, changed: next.changed || inserted });
  }

  for (const [id, states] of passed) {
    let expected = beforeOf(id).status;
    for (const row of states) {
      const one = await repos.billing.writeSubscriptions([
        { id: row.subscription_id, expectedStatus: expected, row },
      ]);
      if (one !== 1) throw new Error('a subscription changed under its lock');
      expected = row.status;
    }
  }
  const writes = [...rows]
    .filter(([id, row]) => passed.has(id) || changedKeys(beforeOf(id), row).length > 0)
    .map(([id, row]) => ({
      id: row.subscription_id,
      expectedStatus: passed.get(id)?.at(-1)?.status ?? beforeOf(id).status,
      row,
    }));
  const written = await repos.billing.writeSubscriptions(writes);
  // Every row is locked, so a miss here is a bug, not a race.
  if (written !== writes.length) throw new Error('a subscription changed under its lock');
  await repos.audit.record(
    ...[...rows]
      .filter(([id, row]) => created.created.has(id) || changedKeys(beforeOf(id), row).length > 0)
      .map(([id, row]) => ({
        actor,
        action: 'subscription.sync',
        target: row.subscription_id,
        details: {
          razorpaySubscriptionId: id,
          created: created.created.has(id),
          from: beforeOf(id).status,
          to: row.status,
          paidCount: row.paid_count,
          fields: changedKeys(beforeOf(id), row),
        },
      })),
  );
  // Each outcome reports the status its row ends the batch in.
  const settled = new Map<number, SubscriptionOutcome>();
  for (const [index, o] of outcomes) {
    const row = rows.get(o.razorpayId);
    if (!row) throw new Error(`subscription ${o.razorpayId} left the merge`);
    settled.set(index, { kind: 'subscription', id: o.id, status: row.status, changed: o.changed });
  }
  return { rows, outcomes: settled };
}

// One snapshot against the row so far. `eventAt` null marks an entity just fetched (authoritative);
// an event snapshot the state machine cannot place makes it ask Razorpay for the present state.
async function step(
  ctx: Pick<ServiceContext, 'gateway' | 'log'>,
  plans: PlanCache,
  current: Subscription,
  entity: SubscriptionEntity,
  eventAt: Date | null,
): Promise<{ row: Subscription; changed: boolean }> {
  const first = await decide(plans, current, entity, eventAt, eventAt === null);
  if (first !== 'unplaceable') return first;
  ctx.log.info(
    { subscription: entity.id, from: current.status, to: entity.status },
    'subscription snapshot cannot be placed; re-fetching from Razorpay',
  );
  const fetched = await ctx.gateway.fetchSubscription(entity.id);
  if (!fetched.ok) throw razorpayAbort(fetched.error, `fetching subscription ${entity.id}`);
  const second = await decide(plans, current, fetched.value, eventAt, true);
  return second === 'unplaceable' ? { row: current, changed: false } : second;
}

async function decide(
  plans: PlanCache,
  current: Subscription,
  entity: SubscriptionEntity,
  eventAt: Date | null,
  authoritative: boolean,
): Promise<{ row: Subscription; changed: boolean } | 'unplaceable'> {
  const decision = decideSubscription({
    current: {
      status: current.status,
      eventAt: current.last_event_at,
      paidCount: current.paid_count,
      currentEnd: current.current_end,
    },
    incoming: {
      status: entity.status,
      eventAt,
      paidCount: entity.paid_count,
      currentEnd: sentOrKept(entity.current_end, current.current_end),
    },
    authoritative,
  });
  if (decision.kind === 'unplaceable') return 'unplaceable';
  if (decision.kind !== 'apply') return { row: current, changed: false };
  const patch = {
    ...subscriptionColumns(entity, current, eventAt),
    ...(await planChange(plans, current, entity)),
  };
  if (changedKeys(current, patch).length === 0) return { row: current, changed: false };
  return { row: { ...current, ...patch } as Subscription, changed: true };
}

// A plan change (subscription.updated, or a fetch after one) arrives as a new plan_id: the tier,
// cycle and amount follow the plan we stored for it; an unknown plan keeps ours unchanged.
async function planChange(cache: PlanCache, current: Subscription, entity: SubscriptionEntity) {
  if (entity.plan_id === current.razorpay_plan_id) return {};
  if (!cache.plans.has(entity.plan_id)) {
    cache.plans.set(entity.plan_id, await cache.repos.razorpayPlans.findByRazorpayPlanId(entity.plan_id));
  }
  const plan = cache.plans.get(entity.plan_id);
  if (!plan) return {};
  return {
    subscription_tier: plan.tier,
    billing_cycle: plan.cycle,
    plan_amount: plan.amount * Math.max(1, entity.quantity),
  };
}

// The ids checkout wrote into the notes (polaris_*) must read the same in both copies.
function samePolarisNotes(a: SubscriptionEntity, b: SubscriptionEntity): boolean {
  const ours = (notes: Record<string, string>) =>
    JSON.stringify(
      Object.entries(notes)
        .filter(([k]) => k.startsWith('polaris_'))
        .sort(),
    );
  return ours(notesOf(a)) === ours(notesOf(b));
}
