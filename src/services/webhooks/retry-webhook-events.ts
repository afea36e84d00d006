import type { WebhookEventState } from '../../adapters/db/webhook-ops-repo.ts';
import { AppError } from '../../domain/errors.ts';
import type { InboxStatus } from '../../domain/inbox-retry.ts';
import { parseSince } from '../../domain/since.ts';
import type { ServiceContext } from '../context.ts';
import { getFlags } from '../flags/get-flags.ts';
import { driveRetries, type RetryOutcome, type RetryProgress } from './drive-retries.ts';
import { parseEventId } from './webhook-ops-input.ts';

/** What `polaris webhooks retry` asks for: event ids, or every failed event (in a window). */
export type RetryWebhookEventsInput = {
  eventIds?: string[] | undefined;
  failed?: boolean | undefined;
  since?: string | undefined;
  reason?: string | undefined;
  actor: string;
  /** --failed retries many events: without confirmation it only lists them. */
  confirmed: boolean;
  /** Shows each event as it settles (a progress bar on a terminal). */
  progress?: RetryProgress | undefined;
  /** How long to wait for an event another worker holds before reporting it still in progress. */
  maxWaitMs?: number | undefined;
};

/** One event as the retry found it, before anything changed. */
export type RetryTarget = { eventId: string; type: string; status: InboxStatus; receivedAt: Date };

/** What a retry did: each event's outcome, oldest first; `ok` when every one is now processed. */
export type RetryReport = {
  confirmed: true;
  ok: boolean;
  requeued: number;
  outcomes: RetryOutcome[];
};

/** What an unconfirmed `--failed` would retry: nothing changed. */
export type RetryPreview = { confirmed: false; targets: RetryTarget[] };

// By id an operator may also replay a skipped event (after fixing a crossed key, say) or hurry a
// pending one; --failed takes only the parked ones.
const BY_ID: InboxStatus[] = ['failed', 'skipped', 'pending'];
const BY_FAILED: InboxStatus[] = ['failed'];

/**
 * Replays events through the one inbox processor (processInbox), oldest first: puts them back as
 * pending with an audit row in one transaction, then runs processing passes until each settles.
 * Processed events are left alone and said so, so retrying twice changes nothing. Read-only mode
 * holds processing, so a retry under it is refused (AppError 'read_only') with nothing changed.
 */
export async function retryWebhookEvents({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: RetryWebhookEventsInput;
}): Promise<RetryReport | RetryPreview> {
  const ids = [...new Set((input.eventIds ?? []).map(parseEventId))];
  if (ids.length === 0 && !input.failed) {
    throw new AppError('bad_request', 'say which events: one or more event ids, or --failed [--since 24h]');
  }
  if (ids.length > 0 && input.failed) {
    throw new AppError('bad_request', 'give event ids or --failed, not both');
  }
  if (input.since !== undefined && !input.failed) {
    throw new AppError('bad_request', '--since goes with --failed');
  }
  const since = input.since === undefined ? undefined : parseSince(input.since, ctx.now());
  if ((await getFlags({ ctx })).byName.read_only.active) {
    throw new AppError(
      'read_only',
      'read-only mode is on and holds webhook processing, so nothing was retried; events keep arriving and wait as pending. Lift it (polaris readonly off) and retry then',
    );
  }
  const found = input.failed
    ? await ctx.repos.webhookOps.failedSince(since)
    : await ctx.repos.webhookOps.states(ids);
  const missing = ids.filter((id) => !found.some((e) => e.event_id === id));
  if (missing.length > 0) {
    throw new AppError(
      'not_found',
      `no webhook event ${missing.join(', ')} is stored; nothing was retried (polaris webhooks list shows them)`,
    );
  }
  if (found.length === 0) return { confirmed: true, ok: true, requeued: 0, outcomes: [] };
  if (input.failed && !input.confirmed) return { confirmed: false, targets: found.map(targetOf) };

  const from = input.failed ? BY_FAILED : BY_ID;
  const movable = found.filter((e) => from.includes(e.processing_status)).map((e) => e.event_id);
  const requeued = await ctx.transaction(async (repos) => {
    const moved = new Set(await repos.webhookOps.requeue(movable, from));
    const done = movable.filter((id) => moved.has(id));
    if (done.length > 0) {
      await repos.audit.record({
        actor: input.actor,
        action: 'webhook.retry',
        target: done.length === 1 ? (done[0] ?? '') : `${done.length} webhook events`,
        reason: input.reason?.trim() || null,
        details: { eventIds: done, ...(input.failed ? { failed: true, since: since ?? null } : {}) },
      });
    }
    return done;
  });
  const outcomes = await driveRetries(ctx, {
    found,
    progress: input.progress,
    maxWaitMs: input.maxWaitMs ?? 60_000,
  });
  return {
    confirmed: true,
    ok: outcomes.every((o) => o.result === 'processed' || o.result === 'already_processed'),
    requeued: requeued.length,
    outcomes,
  };
}

function targetOf(e: WebhookEventState): RetryTarget {
  return {
    eventId: e.event_id,
    type: e.event_type,
    status: e.processing_status,
    receivedAt: new Date(e.created_at),
  };
}
