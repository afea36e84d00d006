import { type RawBuilder, sql } from 'kysely';
import { LIVE_SUBSCRIPTION_STATUSES } from '../../domain/billing-state.ts';
import { type DataCheckName, SAMPLE_LIMIT } from '../../domain/verify-checks.ts';
import type { Executor } from './executor.ts';

/** What one check found: how many rows, and the first ids in order. */
export type Finding = { count: number; sampleIds: string[] };

const live = sql.join(LIVE_SUBSCRIPTION_STATUSES.map((s) => sql.lit(s)));
// The statuses that grant the paid tier, as sync_subscription_to_user_profile() decides.
const expectedTier = sql`CASE WHEN s.status IN ('active', 'pending') THEN s.subscription_tier ELSE 'free' END`;
const otherLive = sql`EXISTS (SELECT 1 FROM subscriptions o
  WHERE o.user_id = s.user_id AND o.status IN (${live}) AND o.subscription_id <> s.subscription_id)`;
const stuck = sql`processing_status = 'processing' AND next_attempt_at < now() - interval '10 minutes'`;

// A user's usage counters beside the blueprints of the current period (all of them on the
// free tier's lifetime allowance); a counter may be lower (a period reset) but never higher.
const usage = sql`SELECT up.user_id, up.blueprint_creation_count AS created, up.blueprint_saving_count AS saved,
    (SELECT count(*) FROM blueprints b WHERE b.user_id = up.user_id
       AND (up.usage_period_start IS NULL OR b.created_at >= up.usage_period_start))::int AS created_recount,
    (SELECT count(*) FROM blueprints b WHERE b.user_id = up.user_id AND b.saved_at IS NOT NULL
       AND (up.usage_period_start IS NULL OR b.saved_at >= up.usage_period_start))::int AS saved_recount
  FROM user_profiles up
  WHERE up.blueprint_creation_count <> 0 OR up.blueprint_saving_count <> 0`;
const outOfRange = sql`created < 0 OR saved < 0 OR created > created_recount OR saved > saved_recount`;

/** Each check's matching rows as one `id` column (text); the runbook's two queries keep their shape. */
const HITS: Record<DataCheckName, RawBuilder<unknown>> = {
  runbook_active_tier_mismatch: sql`SELECT s.subscription_id::text AS id
    FROM subscriptions s JOIN user_profiles up ON s.user_id = up.user_id
    WHERE s.status = 'active' AND up.subscription_tier != s.subscription_tier`,
  runbook_orphaned_captured_payments: sql`SELECT p.payment_id::text AS id
    FROM payments p LEFT JOIN subscriptions s ON p.subscription_id = s.subscription_id
    WHERE p.status = 'captured' AND s.subscription_id IS NULL`,
  two_live_subscriptions: sql`SELECT user_id::text AS id FROM subscriptions
    WHERE status IN (${live}) GROUP BY user_id HAVING count(*) > 1`,
  profile_tier_mismatch: sql`SELECT up.user_id::text AS id
    FROM user_profiles up JOIN subscriptions s ON s.user_id = up.user_id AND s.status IN (${live})
    WHERE (up.subscription_tier <> ${expectedTier} OR up.subscription_id IS DISTINCT FROM s.subscription_id)
      AND NOT ${otherLive}`,
  paid_tier_without_live_subscription: sql`SELECT up.user_id::text AS id FROM user_profiles up
    WHERE up.subscription_tier <> 'free'
      AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = up.user_id AND s.status IN (${live}))`,
  payment_amount_mismatch: sql`SELECT p.payment_id::text AS id
    FROM payments p JOIN subscriptions s ON s.subscription_id = p.subscription_id
    LEFT JOIN razorpay_plans rp ON rp.razorpay_plan_id = s.razorpay_plan_id
    WHERE p.status IN ('captured', 'refunded') AND p.amount <> coalesce(rp.amount * s.seats, s.plan_amount)`,
  usage_counters_out_of_range: sql`SELECT user_id::text AS id FROM (${usage}) u WHERE ${outOfRange}`,
  events_stuck_processing: sql`SELECT event_id AS id FROM razorpay_webhook_events WHERE ${stuck}`,
  failed_events: sql`SELECT event_id AS id FROM razorpay_webhook_events WHERE processing_status = 'failed'`,
  old_pending_events: sql`SELECT event_id AS id FROM razorpay_webhook_events
    WHERE processing_status = 'pending' AND created_at < now() - interval '5 minutes'`,
};

/** One user whose tier is re-derived, through the subscription whose trigger derives it. */
export type TierTarget = { userId: string; subscriptionId: string; tier: string };

/** The consistency queries of `db verify` and the few repairs `--fix` may make. */
export function createVerifyRepo(db: Executor) {
  return {
    /** Makes the open transaction a READ ONLY snapshot; call it first. Returns whether it holds. */
    async beginReadOnly(): Promise<boolean> {
      await sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`.execute(db);
      const { rows } = await sql<{
        ro: string;
      }>`SELECT current_setting('transaction_read_only') AS ro`.execute(db);
      return rows[0]?.ro === 'on';
    },

    /** Which of these tables do not exist. */
    async missingTables(names: string[]): Promise<string[]> {
      const { rows } = await sql<{ name: string }>`
        SELECT name FROM unnest(${names}::text[]) AS name WHERE to_regclass(name) IS NULL`.execute(db);
      return rows.map((r) => r.name);
    },

    /** Counts one check's rows and returns the first SAMPLE_LIMIT ids. */
    async find(check: DataCheckName): Promise<Finding> {
      const { rows } = await sql<{ count: string; sample: string[] }>`
        WITH hits AS MATERIALIZED (${HITS[check]})
        SELECT (SELECT count(*) FROM hits) AS count,
               ARRAY(SELECT id FROM hits ORDER BY id LIMIT ${SAMPLE_LIMIT}) AS sample`.execute(db);
      return { count: Number(rows[0]?.count ?? 0), sampleIds: rows[0]?.sample ?? [] };
    },

    /**
     * Users whose tier is wrong, each with the subscription that derives it: the one live one, or
     * for a paid tier with none, the one the profile names or else the newest. Users with two live
     * subscriptions or no subscription at all are not here: a person decides.
     */
    async tierTargets(): Promise<TierTarget[]> {
      const { rows } = await sql<TierTarget>`
        SELECT DISTINCT ON (up.user_id) up.user_id::text AS "userId", t.subscription_id::text AS "subscriptionId",
               up.subscription_tier AS tier
        FROM user_profiles up
        JOIN LATERAL (
          SELECT s.subscription_id FROM subscriptions s
          WHERE s.user_id = up.user_id AND s.status IN (${live})
            AND (up.subscription_tier <> ${expectedTier} OR up.subscription_id IS DISTINCT FROM s.subscription_id)
            AND NOT ${otherLive}
          UNION ALL
          SELECT coalesce(up.subscription_id, (SELECT s.subscription_id FROM subscriptions s
                   WHERE s.user_id = up.user_id ORDER BY s.created_at DESC, s.subscription_id LIMIT 1))
          WHERE up.subscription_tier <> 'free'
            AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = up.user_id AND s.status IN (${live}))
        ) t ON t.subscription_id IS NOT NULL
        ORDER BY up.user_id`.execute(db);
      return rows;
    },

    /** Fires sync_subscription_to_user_profile() for these subscriptions (the one path that sets tiers). */
    async rederiveTiers(subscriptionIds: string[]): Promise<void> {
      if (subscriptionIds.length === 0) return;
      await sql`UPDATE subscriptions SET updated_at = now()
        WHERE subscription_id = ANY(${subscriptionIds}::uuid[])`.execute(db);
    },

    /** The tiers of these users now. */
    async tiersOf(userIds: string[]): Promise<Map<string, string>> {
      if (userIds.length === 0) return new Map();
      const { rows } = await sql<{ id: string; tier: string }>`
        SELECT user_id::text AS id, subscription_tier AS tier FROM user_profiles
        WHERE user_id = ANY(${userIds}::uuid[])`.execute(db);
      return new Map(rows.map((r) => [r.id, r.tier]));
    },

    /** Returns events stuck in processing to pending, due now; their attempts stay counted. */
    async releaseStuckEvents(): Promise<{ eventId: string; attempts: number }[]> {
      const { rows } = await sql<{ eventId: string; attempts: number }>`
        UPDATE razorpay_webhook_events SET processing_status = 'pending', next_attempt_at = now()
        WHERE ${stuck}
        RETURNING event_id AS "eventId", attempts`.execute(db);
      return rows;
    },

    /** Sets out-of-range usage counters to the recount of the period's blueprints; returns before and after. */
    async recountUsage(): Promise<
      { userId: string; created: number; saved: number; createdNow: number; savedNow: number }[]
    > {
      const { rows } = await sql<{
        userId: string;
        created: number;
        saved: number;
        createdNow: number;
        savedNow: number;
      }>`
        WITH bad AS (SELECT * FROM (${usage}) u WHERE ${outOfRange})
        UPDATE user_profiles up SET
          blueprint_creation_count = CASE WHEN bad.created < 0 OR bad.created > bad.created_recount
                                          THEN bad.created_recount ELSE bad.created END,
          blueprint_saving_count = CASE WHEN bad.saved < 0 OR bad.saved > bad.saved_recount
                                        THEN bad.saved_recount ELSE bad.saved END
        FROM bad WHERE up.user_id = bad.user_id
        RETURNING up.user_id::text AS "userId", bad.created, bad.saved,
                  up.blueprint_creation_count AS "createdNow", up.blueprint_saving_count AS "savedNow"`.execute(
        db,
      );
      return rows;
    },
  };
}

/** The verify repository's queries. */
export type VerifyRepo = ReturnType<typeof createVerifyRepo>;
