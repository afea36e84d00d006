import type { RzpSubscription } from '../../adapters/razorpay/wire.ts';
import { AppError } from '../../domain/errors.ts';
import { parseSince } from '../../domain/since.ts';
import { applyBillingSnapshots } from '../billing/apply-billing-snapshots.ts';
import { notesOf } from '../billing/steps/row-columns.ts';
import type { BillingSnapshot } from '../billing/steps/snapshot-types.ts';
import type { ServiceContext } from '../context.ts';
import { type BackoffPolicy, DEFAULT_BACKOFF, withBackoff } from './steps/backoff.ts';
import { type Drift, paymentDrift, subscriptionDrift } from './steps/drift.ts';
import {
  fetchRazorpayState,
  listSubscriptionsCreated,
  type Patient,
  patientCalls,
} from './steps/fetch-razorpay-state.ts';

/** The audit actor of every repair reconcile makes. */
export const RECONCILE_ACTOR = 'reconcile';

/** Subscriptions fetched at once unless told otherwise: enough to hide latency, few enough to stay under rate limits. */
export const DEFAULT_CONCURRENCY = 8;

/** Told when the work is known and as each subscription finishes. */
export type ReconcileProgress = { start(total: number): void; tick(id: string): void };

/** What a run found and did. */
export type ReconcileReport = {
  since: Date;
  until: Date;
  apply: boolean;
  /** Subscriptions compared with Razorpay. */
  checked: number;
  drift: Drift[];
  /** Drift rows written through the state machine. */
  repaired: number;
  /** Whether Razorpay's listing of subscriptions created in the window was read. */
  listed: boolean;
  /** Razorpay subscription ids not reconciled because the API failed. */
  left: string[];
  /** Why the run stopped early, or null. */
  failure: string | null;
  /** Calls sent again after a 429 or a failure. */
  retries: number;
};

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

// A Razorpay failure that outlasted the backoff (built by razorpayFailure): the run stops there.
const razorpayDown = (e: unknown): e is AppError =>
  e instanceof AppError &&
  e.details?.razorpayFailure !== undefined &&
  e.details.razorpayFailure !== 'unknown_id';
const unknownToRazorpay = (e: unknown): e is AppError =>
  e instanceof AppError && e.details?.razorpayFailure === 'unknown_id';

/**
 * `polaris reconcile`: compares each of our subscriptions changed or due in the window, and each
 * one Razorpay lists as created then that carries a Polaris user in its notes, with Razorpay's
 * copy (subscription, invoices, payments), and with `apply` converges the drift through the
 * billing state machine (audit actor `reconcile`), one transaction per subscription. Backs off on
 * 429 and failures; when Razorpay stays down it stops, keeping what it applied, and names the rest.
 */
export async function reconcileWithRazorpay({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    since: string;
    apply: boolean;
    concurrency?: number;
    backoff?: BackoffPolicy;
    progress?: ReconcileProgress;
  };
}): Promise<ReconcileReport> {
  const until = ctx.now();
  const since = parseSince(input.since, until);
  const concurrency = Math.max(1, Math.min(32, input.concurrency ?? DEFAULT_CONCURRENCY));
  const report: ReconcileReport = {
    since,
    until,
    apply: input.apply,
    checked: 0,
    drift: [],
    repaired: 0,
    listed: false,
    left: [],
    failure: null,
    retries: 0,
  };
  const call = patientCalls((c) =>
    withBackoff(input.backoff ?? DEFAULT_BACKOFF, c, () => {
      report.retries += 1;
    }),
  );
  const ours = await ctx.repos.reconcile.subscriptionIdsInWindow(since, until);
  let created: RzpSubscription[];
  try {
    created = await listSubscriptionsCreated(ctx.gateway, call, unix(since), unix(until));
  } catch (error) {
    if (!razorpayDown(error)) throw error;
    return { ...report, left: ours, failure: error.message };
  }
  report.listed = true;
  // Notes trust: only Razorpay's own copy names the user, and one without our notes is not ours.
  const listed = new Map(created.filter((s) => notesOf(s).polaris_user_id).map((s) => [s.id, s]));
  const targets = [...new Set([...ours, ...listed.keys()])].sort();
  input.progress?.start(targets.length);

  const done = new Set<string>();
  let fatal: unknown = null;
  let next = 0;
  const worker = async () => {
    while (next < targets.length && report.failure === null && fatal === null) {
      const id = targets[next++] as string;
      try {
        report.drift.push(
          ...(await reconcileOne(ctx, call, input.apply, { id, listed: listed.get(id), since })),
        );
        done.add(id);
      } catch (error) {
        if (razorpayDown(error)) report.failure ??= error.message;
        else fatal ??= error;
        break;
      }
      report.checked += 1;
      input.progress?.tick(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  if (fatal !== null) throw fatal;
  report.left = targets.filter((id) => !done.has(id));
  report.repaired = report.drift.filter((d) => d.outcome === 'applied').length;
  // Each subscription, then its payments.
  const rank = (d: Drift) => (d.entity === 'subscription' ? 0 : 1);
  report.drift.sort(
    (a, b) => a.subscription.localeCompare(b.subscription) || rank(a) - rank(b) || a.id.localeCompare(b.id),
  );
  return report;
}

// One subscription: Razorpay's copy against ours, then (with apply) one billing transaction.
async function reconcileOne(
  ctx: ServiceContext,
  call: Patient,
  apply: boolean,
  target: { id: string; listed: RzpSubscription | undefined; since: Date },
): Promise<Drift[]> {
  const { id } = target;
  const ourRow = await ctx.repos.reconcile.subscription(id);
  let state: Awaited<ReturnType<typeof fetchRazorpayState>>;
  try {
    state = await fetchRazorpayState(ctx.gateway, call, {
      id,
      listed: target.listed,
      since: unix(target.since),
      known: (ids) => ctx.repos.billing.linkedPaymentIds(ids),
    });
  } catch (error) {
    if (!unknownToRazorpay(error)) throw error;
    return [
      {
        entity: 'subscription',
        id,
        subscription: id,
        ours: { status: ourRow?.status ?? '-' },
        razorpay: null,
        action: 'left for a person: Razorpay does not know this id',
        convergible: false,
      },
    ];
  }
  const ourPayments = new Map(
    (await ctx.repos.reconcile.payments(state.payments.map((p) => p.id))).map((p) => [
      p.razorpay_payment_id,
      p,
    ]),
  );
  const drift = [
    subscriptionDrift(ourRow, state.subscription),
    ...state.payments.map((p) => paymentDrift(ourPayments.get(p.id), p, id)),
  ].filter((d): d is Drift => d !== null);
  if (!apply || !drift.some((d) => d.convergible)) return drift;
  const drifted = new Set(drift.filter((d) => d.entity === 'payment').map((d) => d.id));
  const snapshots: BillingSnapshot[] = [
    { kind: 'subscription', subscription: state.subscription, eventAt: null },
    ...state.payments
      .filter((p) => drifted.has(p.id))
      .map(
        (payment): BillingSnapshot => ({
          kind: 'payment',
          payment,
          razorpaySubscriptionId: id,
          eventAt: null,
        }),
      ),
  ];
  try {
    await applyBillingSnapshots({ ctx, input: { snapshots, actor: RECONCILE_ACTOR } });
  } catch (error) {
    // The state machine refused (not ours, a user who is gone): nothing was written; say why.
    if (!(error instanceof AppError) || error.details?.disposition === undefined) throw error;
    for (const d of drift) d.outcome = `not applied: ${error.message}`;
    return drift;
  }
  for (const d of drift) d.outcome = d.convergible ? 'applied' : 'not applied';
  return drift;
}
