import { AppError } from '../../domain/errors.ts';
import type { ServiceContext } from '../context.ts';
import { parseEventId } from './webhook-ops-input.ts';

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

/**
 * `polaris webhooks show`: one stored event with its exact raw payload, attempts, last error,
 * timestamps, and the operator retries that named it. An unknown id is AppError 'not_found'.
 */
export async function showWebhookEvent({ ctx, input }: { ctx: ServiceContext; input: { eventId: string } }) {
  const eventId = parseEventId(input.eventId);
  const row = await ctx.repos.inbox.findByEventId(eventId);
  if (!row) {
    throw new AppError(
      'not_found',
      `no webhook event ${eventId} is stored (polaris webhooks list shows them)`,
    );
  }
  const retries = await ctx.repos.webhookOps.retriesOf(eventId);
  return {
    eventId: row.event_id,
    type: row.event_type,
    accountId: row.account_id,
    entityId: row.entity_id,
    status: row.processing_status,
    attempts: row.attempts,
    lastError: row.error_message,
    receivedAt: new Date(row.created_at),
    eventCreatedAt: date(row.event_created_at),
    nextAttemptAt: ['pending', 'processing'].includes(row.processing_status)
      ? new Date(row.next_attempt_at)
      : null,
    processedAt: date(row.processed_at),
    secretFingerprint: row.secret_fingerprint,
    retries: retries.map((r) => ({ at: new Date(r.at), actor: r.actor, reason: r.reason })),
    payload: row.payload,
  };
}

/** One event as `showWebhookEvent` returns it. */
export type WebhookEventDetail = Awaited<ReturnType<typeof showWebhookEvent>>;
