import type { InboxEvent } from '../../adapters/db/inbox-repo.ts';
import { AppError, type Result } from '../../domain/errors.ts';
import { type AttemptDisposition, verdictFor } from '../../domain/inbox-retry.ts';
import { applyBillingSnapshots } from '../billing/apply-billing-snapshots.ts';
import type { BillingSnapshot } from '../billing/billing-batch.ts';
import type { ServiceContext } from '../context.ts';
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
};

class Rollback extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
  }
}

/**
 * Claims due inbox events (FOR UPDATE SKIP LOCKED) and applies each in one transaction together
 * with its status change; failures retry with exponential backoff and are parked as `failed`
 * with their error after `maxAttempts`.
 */
export async function processInbox({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: ProcessInboxInput;
}): Promise<Result<ProcessInboxOutcome>> {
  const { limit = 50, maxAttempts = 8, backoffMs = 5000, leaseSeconds = 30 } = input;
  let events: InboxEvent[];
  try {
    events = await ctx.repos.inbox.claimDue(limit, leaseSeconds);
  } catch (error) {
    ctx.log.error({ err: error }, 'inbox claim failed');
    return { ok: false, error: new AppError('database_unavailable', 'the webhook inbox cannot be read') };
  }
  const lease = keepLease(ctx, events, leaseSeconds);
  try {
    return { ok: true, value: await applyClaimed(ctx, events, maxAttempts, backoffMs) };
  } finally {
    lease.stop();
  }
}

// Renews the claims while this worker still works on them (a slow Razorpay fetch, a long batch).
function keepLease(ctx: ServiceContext, events: InboxEvent[], leaseSeconds: number) {
  if (events.length === 0) return { stop: () => {} };
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

async function applyClaimed(
  ctx: ServiceContext,
  events: InboxEvent[],
  maxAttempts: number,
  backoffMs: number,
): Promise<ProcessInboxOutcome> {
  const outcome: ProcessInboxOutcome = {
    claimed: events.length,
    processed: 0,
    retried: 0,
    failed: 0,
    skipped: 0,
  };
  if (events.length > 1 && (await processBatch(ctx, events))) {
    outcome.processed = events.length;
    return outcome;
  }
  for (const event of events) {
    const error = await processOne(ctx, event);
    if (!error) {
      outcome.processed += 1;
      continue;
    }
    const verdict = verdictFor({
      disposition: dispositionOf(error),
      attempts: event.attempts,
      maxAttempts,
      backoffMs,
    });
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
    await ctx.repos.inbox
      .markAttempt(event.id, event.attempts, { ...verdict, error: message })
      .catch((err) => {
        ctx.log.error(
          { err, eventId: event.event_id },
          'could not record the failed attempt; the lease will expire',
        );
      });
    if (verdict.status === 'pending') outcome.retried += 1;
    else outcome[verdict.status] += 1;
  }
  return outcome;
}

// The common case in one transaction: the whole batch merged set-wise (each entity read and
// written once) and marked processed together. Any failure rolls it all back and the caller
// applies the events one by one, so a bad event only ever costs its own retry.
async function processBatch(ctx: ServiceContext, events: InboxEvent[]): Promise<boolean> {
  const snapshots: BillingSnapshot[] = [];
  for (const event of events) {
    const snapshot = snapshotFromEvent(event);
    if (!snapshot.ok) return false;
    if (snapshot.value) snapshots.push(snapshot.value);
  }
  try {
    await ctx.transaction(async (repos) => {
      const inner: ServiceContext = { ...ctx, repos, transaction: (work) => work(repos) };
      const applied = await applyBillingSnapshots({
        ctx: inner,
        input: { snapshots, actor: 'razorpay-webhook' },
      });
      if (!applied.ok) throw new Rollback(applied.error);
      if ((await repos.inbox.markAllProcessed(events)) !== events.length) {
        throw new Rollback(new AppError('conflict', 'a claim was lost to another worker'));
      }
    });
    return true;
  } catch (error) {
    ctx.log.debug({ err: error, events: events.length }, 'batch not applied whole; applying one by one');
    return false;
  }
}

// Runs the event's effects inside the same transaction as its status change: the services see
// a context whose repos and unit of work are that transaction.
async function processOne(ctx: ServiceContext, event: InboxEvent): Promise<Error | null> {
  try {
    await ctx.transaction(async (repos) => {
      const snapshot = snapshotFromEvent(event);
      if (!snapshot.ok) throw new Rollback(snapshot.error);
      const inner: ServiceContext = { ...ctx, repos, transaction: (work) => work(repos) };
      const snapshots = snapshot.value ? [snapshot.value] : [];
      const applied = await applyBillingSnapshots({
        ctx: inner,
        input: { snapshots, actor: 'razorpay-webhook' },
      });
      if (!applied.ok) throw new Rollback(applied.error);
      if (!(await repos.inbox.markProcessed(event.id, event.attempts))) {
        throw new Rollback(new AppError('conflict', 'claim lost to another worker'));
      }
    });
    return null;
  } catch (error) {
    if (error instanceof Rollback) return error.appError;
    return error instanceof Error ? error : new Error(String(error));
  }
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
