import type { InboxEvent } from '../../adapters/db/inbox-repo.ts';
import { AppError } from '../../domain/errors.ts';
import { type AttemptDisposition, verdictFor } from '../../domain/inbox-retry.ts';
import { mergeSnapshots } from '../billing/steps/merge-snapshots.ts';
import { resolvePaymentLinks } from '../billing/steps/payment-links.ts';
import type { BillingSnapshot } from '../billing/steps/snapshot-types.ts';
import type { ServiceContext } from '../context.ts';
import { getFlags } from '../flags/get-flags.ts';
import { snapshotFromEvent } from './snapshot-from-event.ts';

/** Knobs of one processing pass; the defaults suit production. */
export type ProcessInboxInput = {
  /** Events claimed per pass. Default 50. */
  limit?: number;
  /** Attempts before an event is parked as failed. Default 8. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, capped at one hour. Default 5000. */
  backoffMs?: number;
  /**
   * How long a claim holds before another worker may take the event again. Default 30: a live
   * worker renews it every third of that, so only a dead worker's events wait it out.
   */
  leaseSeconds?: number;
};

/** Counts of one pass. */
export type ProcessInboxOutcome = {
  claimed: number;
  processed: number;
  retried: number;
  failed: number;
  skipped: number;
  /** True when read-only mode held the pass: nothing was claimed, the events stay pending. */
  held?: boolean;
};

/** A claimed event and what it tells the billing state machine (null: nothing to merge). */
type Parsed = { event: InboxEvent; snapshot: BillingSnapshot | null };

/**
 * Claims due inbox events (FOR UPDATE SKIP LOCKED) and applies them with their status change in
 * one transaction; when that fails, each event alone, so a bad one only costs its own retry.
 * Failures retry with backoff, or are parked or skipped by what they say (domain/inbox-retry.ts).
 * In read-only mode it claims nothing and reports the pass as held.
 * Throws AppError('database_unavailable') when the inbox cannot be claimed.
 */
export async function processInbox({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: ProcessInboxInput;
}): Promise<ProcessInboxOutcome> {
  const { limit = 50, maxAttempts = 8, backoffMs = 5000, leaseSeconds = 30 } = input;
  // Read-only means no user data changes: events wait, pending and in order, until it is lifted.
  if ((await getFlags({ ctx })).byName.read_only.active) {
    return { claimed: 0, processed: 0, retried: 0, failed: 0, skipped: 0, held: true };
  }
  const events = await claim(ctx, limit, leaseSeconds);
  const outcome: ProcessInboxOutcome = {
    claimed: events.length,
    processed: 0,
    retried: 0,
    failed: 0,
    skipped: 0,
  };
  if (events.length === 0) return outcome;
  const lease = keepLease(ctx, events, leaseSeconds);
  try {
    const ready: Parsed[] = [];
    const failures: { event: InboxEvent; error: Error }[] = [];
    for (const event of events) {
      const snapshot = snapshotFromEvent(event);
      if (snapshot.ok) ready.push({ event, snapshot: snapshot.value });
      else failures.push({ event, error: snapshot.error });
    }
    if (ready.length > 1 && (await applyWhole(ctx, ready))) {
      outcome.processed += ready.length;
    } else {
      for (const one of ready) {
        try {
          await applyEvents(ctx, [one]);
          outcome.processed += 1;
        } catch (error) {
          failures.push({
            event: one.event,
            error: error instanceof Error ? error : new Error(String(error)),
          });
        }
      }
    }
    for (const { event, error } of failures) {
      const status = await recordFailure(ctx, event, error, { maxAttempts, backoffMs });
      if (status === 'pending') outcome.retried += 1;
      else outcome[status] += 1;
    }
    return outcome;
  } finally {
    lease.stop();
  }
}

async function claim(ctx: ServiceContext, limit: number, leaseSeconds: number): Promise<InboxEvent[]> {
  try {
    return await ctx.repos.inbox.claimDue(limit, leaseSeconds);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('database_unavailable', 'the webhook inbox cannot be read', { cause: String(error) });
  }
}

// The common case: the whole batch merged set-wise (each entity read and written once).
async function applyWhole(ctx: ServiceContext, ready: Parsed[]): Promise<boolean> {
  try {
    await applyEvents(ctx, ready);
    return true;
  } catch (error) {
    ctx.log.debug({ err: error, events: ready.length }, 'batch not applied whole; applying one by one');
    return false;
  }
}

// The events' effects and their `processed` mark commit together, or neither does.
async function applyEvents(ctx: ServiceContext, items: Parsed[]): Promise<void> {
  const snapshots = items.flatMap((item) => (item.snapshot ? [item.snapshot] : []));
  const links = await resolvePaymentLinks(ctx, snapshots);
  await ctx.transaction(async (repos) => {
    if (snapshots.length > 0) {
      await mergeSnapshots(ctx, repos, { snapshots, links, actor: 'razorpay-webhook' });
    }
    const held = await repos.inbox.markAllProcessed(items.map((item) => item.event));
    if (held !== items.length) throw new AppError('conflict', 'a claim was lost to another worker');
  });
}

// Renews the claims while this worker still works on them (a slow Razorpay fetch, a long batch).
function keepLease(ctx: ServiceContext, events: InboxEvent[], leaseSeconds: number) {
  const timer = setInterval(
    () => {
      ctx.repos.inbox.extendLease(events, leaseSeconds).catch((err: unknown) => {
        ctx.log.warn({ err }, 'could not renew the inbox lease; the claims will expire');
      });
    },
    (leaseSeconds * 1000) / 3,
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

async function recordFailure(
  ctx: ServiceContext,
  event: InboxEvent,
  error: Error,
  knobs: { maxAttempts: number; backoffMs: number },
) {
  const verdict = verdictFor({ disposition: dispositionOf(error), attempts: event.attempts, ...knobs });
  const message =
    error instanceof AppError ? `${error.code}: ${error.message}` : `internal: ${error.message}`;
  ctx.log.warn(
    {
      eventId: event.event_id,
      eventType: event.event_type,
      attempts: event.attempts,
      ...verdict,
      error: message,
    },
    verdict.status === 'skipped' ? 'event skipped: not applicable to Polaris' : 'event not applied',
  );
  await ctx.repos.inbox.markAttempt(event.id, event.attempts, { ...verdict, error: message }).catch((err) => {
    ctx.log.error(
      { err, eventId: event.event_id },
      'could not record the failed attempt; the lease will expire',
    );
  });
  return verdict.status;
}

// How an error bears on the next attempt: set where the error was made (services/billing and
// razorpay-failure.ts); anything unmarked is a passing fault.
function dispositionOf(error: Error): AttemptDisposition {
  if (!(error instanceof AppError)) return 'retry';
  if (error.code === 'bad_request') return 'fail';
  const details = error.details ?? {};
  if (details.disposition === 'skip' || details.disposition === 'fail') return details.disposition;
  if (details.razorpayFailure === 'unknown_id') return 'confirm';
  if (details.razorpayFailure === 'permanent') return 'fail';
  return 'retry';
}
