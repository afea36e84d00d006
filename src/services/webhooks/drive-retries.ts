import type { WebhookEventState } from '../../adapters/db/webhook-ops-repo.ts';
import type { InboxStatus } from '../../domain/inbox-retry.ts';
import type { ServiceContext } from '../context.ts';
import { processInbox } from './process-inbox.ts';

/**
 * Where a retried event ended: applied now; processed before (nothing changed); failed or skipped
 * again; back to pending for a later attempt; still held by another worker; or held by read-only.
 */
export type RetryResult =
  | 'processed'
  | 'already_processed'
  | 'failed'
  | 'skipped'
  | 'retry_later'
  | 'in_progress'
  | 'held';

/** One event's outcome: its status before the retry and where it stands after. */
export type RetryOutcome = {
  eventId: string;
  type: string;
  receivedAt: Date;
  before: InboxStatus;
  result: RetryResult;
  attempts: number;
  error: string | null;
  /** When the processor tries a `retry_later` event again. */
  nextAttemptAt: Date | null;
};

/** Starts a progress display for `total` events; each settled event ticks it once. */
export type RetryProgress = (total: number) => { tick(label?: string): void; stop(): void };

const IDLE_POLL_MS = 100;

/**
 * Runs inbox passes (the same processInbox the workers run) until every watched event settles,
 * and reads each one's outcome. An event a worker elsewhere holds past `maxWaitMs` of no progress
 * is reported in progress; a pass held by read-only leaves the rest pending and says so.
 */
export async function driveRetries(
  ctx: ServiceContext,
  run: { found: WebhookEventState[]; progress?: RetryProgress | undefined; maxWaitMs: number },
): Promise<RetryOutcome[]> {
  const outcomes = new Map<string, RetryOutcome>();
  for (const e of run.found) {
    if (e.processing_status === 'processed') outcomes.set(e.event_id, outcomeOf(e, e, 'already_processed'));
  }
  const before = new Map(run.found.map((e) => [e.event_id, e]));
  let waiting = run.found.filter((e) => !outcomes.has(e.event_id)).map((e) => e.event_id);
  const bar = run.progress?.(waiting.length);
  let lastProgress = Date.now();
  try {
    while (waiting.length > 0) {
      const pass = await processInbox({ ctx });
      const states = await ctx.repos.webhookOps.states(waiting);
      for (const s of states) {
        const result = settled(s) ?? (pass.held ? 'held' : null);
        if (!result) continue;
        outcomes.set(s.event_id, outcomeOf(before.get(s.event_id) ?? s, s, result));
        bar?.tick(`${s.event_id} ${result}`);
      }
      const left = waiting.filter((id) => !outcomes.has(id));
      if (left.length < waiting.length || pass.claimed > 0) lastProgress = Date.now();
      waiting = left;
      if (waiting.length === 0) break;
      if (Date.now() - lastProgress > run.maxWaitMs) {
        for (const s of await ctx.repos.webhookOps.states(waiting)) {
          outcomes.set(s.event_id, outcomeOf(before.get(s.event_id) ?? s, s, 'in_progress'));
        }
        break;
      }
      // Nothing was due for this process: another worker holds the rest; look again shortly.
      if (pass.claimed === 0) await new Promise((r) => setTimeout(r, IDLE_POLL_MS));
    }
  } finally {
    bar?.stop();
  }
  return run.found.flatMap((e) => {
    const o = outcomes.get(e.event_id);
    return o ? [o] : [];
  });
}

function settled(s: WebhookEventState): RetryResult | null {
  if (
    s.processing_status === 'processed' ||
    s.processing_status === 'failed' ||
    s.processing_status === 'skipped'
  ) {
    return s.processing_status;
  }
  return s.processing_status === 'pending' && !s.due ? 'retry_later' : null;
}

function outcomeOf(before: WebhookEventState, now: WebhookEventState, result: RetryResult): RetryOutcome {
  return {
    eventId: now.event_id,
    type: now.event_type,
    receivedAt: new Date(now.created_at),
    before: before.processing_status,
    result,
    attempts: now.attempts,
    error: result === 'processed' || result === 'already_processed' ? null : now.error_message,
    nextAttemptAt: result === 'retry_later' ? new Date(now.next_attempt_at) : null,
  };
}
