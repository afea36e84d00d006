import { INBOX_STATUSES } from '../../../domain/inbox-retry.ts';
import type { RetryOutcome, RetryResult } from '../../../services/webhooks/drive-retries.ts';
import type { WebhookStats } from '../../../services/webhooks/get-webhook-stats.ts';
import type { WebhookEventList } from '../../../services/webhooks/list-webhook-events.ts';
import type { RetryReport, RetryTarget } from '../../../services/webhooks/retry-webhook-events.ts';
import type { WebhookEventDetail } from '../../../services/webhooks/show-webhook-event.ts';
import { table } from '../table.ts';

const ERROR_WIDTH = 60;
const when = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');
const short = (text: string | null) =>
  text && text.length > ERROR_WIDTH ? `${text.slice(0, ERROR_WIDTH - 1)}…` : (text ?? '');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `polaris webhooks list`: how many match, then one row per event, newest first. */
export function listLines(list: WebhookEventList): string[] {
  const shown = list.events.length;
  const head = `${plural(list.total, 'event')} match${list.total === 1 ? 'es' : ''}${shown < list.total ? ` (the newest ${shown}; raise --limit or narrow the filters)` : ''}`;
  if (shown === 0) return [head];
  return [
    head,
    table(
      ['received', 'event id', 'type', 'status', 'attempts', 'last error'],
      list.events.map((e) => [when(e.receivedAt), e.eventId, e.type, e.status, e.attempts, short(e.error)]),
    ),
  ];
}

/** `polaris webhooks show`: the stored fields, the retries that named it, then the raw payload. */
export function showLines(e: WebhookEventDetail): string[] {
  const field = (name: string, value: string | number | null) => `${name.padEnd(18)}${value ?? ''}`;
  return [
    field('event id', e.eventId),
    field('type', e.type),
    field('status', e.status),
    field('attempts', e.attempts),
    field('last error', e.lastError ?? '(none)'),
    field('received', when(e.receivedAt)),
    field('event created', when(e.eventCreatedAt)),
    ...(e.nextAttemptAt ? [field('next attempt', when(e.nextAttemptAt))] : []),
    ...(e.processedAt
      ? [field(e.status === 'processed' ? 'processed' : `${e.status} at`, when(e.processedAt))]
      : []),
    field('entity', e.entityId),
    field('account', e.accountId),
    field('secret', e.secretFingerprint ? `fingerprint ${e.secretFingerprint}` : '(not recorded)'),
    field(
      'operator retries',
      e.retries.length === 0
        ? '(none)'
        : e.retries.map((r) => `${when(r.at)} by ${r.actor}${r.reason ? ` (${r.reason})` : ''}`).join('; '),
    ),
    'payload (the raw body as received):',
    e.payload,
  ];
}

const seconds = (s: number | null) =>
  s === null ? '–' : s < 10 ? `${s.toFixed(2)} s` : `${Math.round(s)} s`;

/** `polaris webhooks stats`: type × status counts, failure rate, lag and the oldest waiting event. */
export function statsLines(s: WebhookStats): string[] {
  const head = ['type', ...INBOX_STATUSES, 'total'];
  const row = (r: WebhookStats['totals']) => [r.type, ...INBOX_STATUSES.map((st) => r[st]), r.total];
  const settled = s.totals.processed + s.totals.failed + s.totals.skipped;
  const oldest = s.oldestPending;
  return [
    `webhook events received since ${when(s.since)}: ${s.totals.total}`,
    ...(s.types.length === 0 ? [] : [table(head, [...s.types.map(row), row(s.totals)])]),
    `failure rate: ${s.failureRate === null ? '– (nothing settled in the window)' : `${(s.failureRate * 100).toFixed(1)} % (${s.totals.failed} failed of ${settled} settled)`}`,
    `processing lag, received → processed (${plural(s.lagSeconds.processed, 'event')}): p50 ${seconds(s.lagSeconds.p50)}, p99 ${seconds(s.lagSeconds.p99)}`,
    oldest
      ? `oldest pending: ${oldest.eventId} (${oldest.type}) received ${when(oldest.receivedAt)}, ${oldest.ageSeconds} s ago`
      : 'oldest pending: none, the backlog is empty',
  ];
}

/** The targets an unconfirmed `retry --failed` would replay, oldest first. */
export function previewLines(targets: RetryTarget[]): string[] {
  return [
    `would retry ${plural(targets.length, 'failed event')}, oldest first:`,
    table(
      ['received', 'event id', 'type'],
      targets.map((t) => [when(t.receivedAt), t.eventId, t.type]),
    ),
  ];
}

const RESULT_TEXT: Record<RetryResult, string> = {
  processed: 'applied',
  already_processed: 'already processed; nothing changed',
  failed: 'failed again',
  skipped: 'skipped (not applicable to Polaris)',
  retry_later: 'pending; the worker tries again',
  in_progress: 'still held by another worker',
  held: 'held: read-only mode is on',
};

function detail(o: RetryOutcome): string {
  if (o.result === 'retry_later') return `at ${when(o.nextAttemptAt)}: ${short(o.error)}`;
  return short(o.error);
}

/** What a retry did: one row per event, oldest first, and a count per outcome. */
export function retryLines(report: RetryReport, actor: string): string[] {
  if (report.outcomes.length === 0) return ['no failed events in the window; nothing to retry'];
  const counts = new Map<RetryResult, number>();
  for (const o of report.outcomes) counts.set(o.result, (counts.get(o.result) ?? 0) + 1);
  return [
    `retried ${plural(report.outcomes.length, 'event')}, oldest first; ${report.requeued} put back for processing${report.requeued > 0 ? ` (recorded in audit_log as ${actor})` : ''}`,
    table(
      ['received', 'event id', 'type', 'was', 'outcome', 'attempts', 'error'],
      report.outcomes.map((o) => [
        when(o.receivedAt),
        o.eventId,
        o.type,
        o.before,
        RESULT_TEXT[o.result],
        o.attempts,
        detail(o),
      ]),
    ),
    [...counts].map(([result, n]) => `${RESULT_TEXT[result]}: ${n}`).join(' · '),
  ];
}
