// The checks of `polaris db verify` (issue 10 §2): what each one means, how bad a hit is, and
// what fixes it. Pure data; the queries live in adapters/db/verify-repo.ts under the same names.

/** error: the data contradicts itself and `db verify` exits 1; warning: worth a look, not a failure. */
export type CheckSeverity = 'error' | 'warning';

/** How `--fix` repairs a check's hits; checks without one are left for a person. */
export type RepairKind = 'tiers' | 'events' | 'counters';

/** The data checks, in the order they are reported (the schema check comes first, apart). */
export const DATA_CHECKS = [
  {
    name: 'runbook_active_tier_mismatch',
    title: "runbook: an active subscription's tier differs from its user's profile",
    severity: 'error',
    repair: 'tiers',
    hint: 'polaris db verify --fix re-derives the tier from the live subscription',
  },
  {
    name: 'runbook_orphaned_captured_payments',
    title: 'runbook: a captured payment with no subscription',
    severity: 'error',
    hint: 'reconcile with Razorpay (polaris reconcile --since <window>) links it; otherwise a person refunds or attaches it',
  },
  {
    name: 'two_live_subscriptions',
    title: 'a user with two live subscriptions',
    severity: 'error',
    hint: 'cancel the one Razorpay does not charge (compare with polaris reconcile), then restore the unique index',
  },
  {
    name: 'profile_tier_mismatch',
    title: 'a profile tier differs from what its live subscription grants',
    severity: 'error',
    repair: 'tiers',
    hint: 'polaris db verify --fix re-derives the tier from the live subscription',
  },
  {
    name: 'paid_tier_without_live_subscription',
    title: 'a paid tier with no live subscription',
    severity: 'error',
    repair: 'tiers',
    hint: 'polaris db verify --fix returns it to free through its last subscription; a user with none needs a person',
  },
  {
    name: 'payment_amount_mismatch',
    title: "a captured payment's amount differs from its plan price × seats",
    severity: 'warning',
    hint: 'a plan change or an add-on explains it; otherwise compare with Razorpay (polaris reconcile)',
  },
  {
    name: 'usage_counters_out_of_range',
    title: 'usage counters below zero or above the blueprints of the period',
    severity: 'error',
    repair: 'counters',
    hint: 'polaris db verify --fix recounts them from the blueprints of the period',
  },
  {
    name: 'events_stuck_processing',
    title: 'webhook events stuck in processing for more than 10 minutes',
    severity: 'warning',
    repair: 'events',
    hint: 'polaris db verify --fix releases them to pending; check that a worker runs',
  },
  {
    name: 'failed_events',
    title: 'webhook events parked as failed',
    severity: 'warning',
    hint: 'replay them through the processor (polaris webhooks retry --failed --yes)',
  },
  {
    name: 'old_pending_events',
    title: 'webhook events pending for more than 5 minutes',
    severity: 'warning',
    hint: 'check that a worker runs and read-only is off (polaris flags)',
  },
] as const satisfies readonly {
  name: string;
  title: string;
  severity: CheckSeverity;
  repair?: RepairKind;
  hint: string;
}[];

/** The name of one data check. */
export type DataCheckName = (typeof DATA_CHECKS)[number]['name'];

/** The schema check: every table, column, function and trigger the migrations promise (DESIGN §6). */
export const SCHEMA_CHECK = {
  name: 'schema',
  title: 'every table, column, function and trigger the applied migrations promise',
  severity: 'error',
  hint: 'polaris db status names the drift; polaris db migrate applies what is pending',
} as const;

/** How many sample ids a check reports. */
export const SAMPLE_LIMIT = 10;

/** One check's outcome: `count` hits, the first SAMPLE_LIMIT ids, and what fixes them. */
export type Check = {
  name: string;
  title: string;
  severity: CheckSeverity;
  count: number;
  sampleIds: string[];
  hint: string;
  /** Set when the check could not run (its tables are missing); counts as a failure. */
  skipped?: string;
};

/** A check fails when it has hits or could not run. */
export function checkFailed(check: Check): boolean {
  return check.count > 0 || check.skipped !== undefined;
}

/** Clean when no error-severity check failed (warnings do not fail verification). */
export function verificationOk(checks: readonly Check[]): boolean {
  return checks.every((c) => c.severity !== 'error' || !checkFailed(c));
}
