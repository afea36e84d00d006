import type { FlagsView } from '../../domain/flags.ts';
import type { Incident } from '../../domain/incidents.ts';
import type { DrillRow } from '../backups/list-drills.ts';
import { listDrills } from '../backups/list-drills.ts';
import type { ServiceContext } from '../context.ts';
import { getFlags } from '../flags/get-flags.ts';
import { listIncidents } from '../incidents/list-incidents.ts';
import { getWebhookStats } from '../webhooks/get-webhook-stats.ts';

/** Payments that reached an outcome in a window and the share of them that did not fail (null: none). */
export type SuccessRate = { attempts: number; failed: number; rate: number | null };

/** The last audited verify (a `verify.run` of `db verify` or /admin/db, or a `--fix` repair) in the look-back; `ok` for a run. */
export type LastVerify = {
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  ok: boolean | null;
} | null;

/** What the admin overview shows, each figure from an index range or a kept row, never a payments scan. */
export type AdminOverview = {
  success15m: SuccessRate;
  success24h: SuccessRate;
  backlog: {
    pending: number;
    oldest: { eventId: string; type: string; receivedAt: Date; ageSeconds: number } | null;
  };
  failedEvents24h: number;
  flags: FlagsView;
  openIncidents: Incident[];
  lastVerify: LastVerify;
  lastDrill: DrillRow | null;
};

const MINUTE = 60_000;
const VERIFY_LOOKBACK_MS = 30 * 24 * 60 * MINUTE;
const OPEN_INCIDENTS_SHOWN = 20;

async function successSince(ctx: ServiceContext, since: Date): Promise<SuccessRate> {
  const { attempts, failed } = await ctx.repos.alerts.paymentAttempts(since);
  return { attempts, failed, rate: attempts === 0 ? null : (attempts - failed) / attempts };
}

/**
 * The /admin overview: payment success over 15 minutes and 24 hours (the alert rule's read on
 * payments_created_at_idx), the webhook backlog, oldest pending and failed events (the webhook
 * stats), the flags, open incidents, the last audited verify and the last drill.
 */
export async function readAdminOverview({ ctx }: { ctx: ServiceContext }): Promise<AdminOverview> {
  const now = ctx.now();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const [success15m, success24h, pending, stats, flags, openIncidents, verifies, drills] = await Promise.all([
    successSince(ctx, ago(15 * MINUTE)),
    successSince(ctx, ago(24 * 60 * MINUTE)),
    ctx.repos.alerts.pendingWebhooks(),
    getWebhookStats({ ctx, input: { since: '24h' } }),
    getFlags({ ctx }),
    listIncidents({ ctx, input: { open: true, limit: OPEN_INCIDENTS_SHOWN } }),
    ctx.repos.audit.list({ since: ago(VERIFY_LOOKBACK_MS), action: 'verify' }, 1),
    listDrills({ ctx, input: { limit: 1 } }),
  ]);
  const verify = verifies[0];
  return {
    success15m,
    success24h,
    backlog: { pending: pending.pending, oldest: stats.oldestPending },
    failedEvents24h: stats.totals.failed,
    flags,
    openIncidents,
    lastVerify: verify
      ? {
          at: new Date(verify.at),
          actor: verify.actor,
          action: verify.action,
          target: verify.target,
          ok: verifyOutcome(verify.details),
        }
      : null,
    lastDrill: drills[0] ?? null,
  };
}

/** The `ok` a `verify.run` row keeps in its details; null for other verify rows (a repair). */
function verifyOutcome(details: unknown): boolean | null {
  const ok = (details as { ok?: unknown } | null)?.ok;
  return typeof ok === 'boolean' ? ok : null;
}
