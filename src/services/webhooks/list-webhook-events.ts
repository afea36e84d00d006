import { parseSince } from '../../domain/since.ts';
import type { ServiceContext } from '../context.ts';
import { parseEventType, parseLimit, parseStatuses } from './webhook-ops-input.ts';

/** What `polaris webhooks list` asks for; every field as the operator typed it. */
export type ListWebhookEventsInput = {
  status?: string | undefined;
  type?: string | undefined;
  since?: string | undefined;
  limit?: string | undefined;
};

/**
 * `polaris webhooks list`: the stored events matching a status, a type (or family) and a window,
 * newest first, with how many match in all. Bad filters are AppError 'bad_request'.
 */
export async function listWebhookEvents({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ListWebhookEventsInput;
}) {
  const filter = {
    statuses: parseStatuses(input.status),
    type: parseEventType(input.type),
    since: input.since === undefined ? undefined : parseSince(input.since, ctx.now()),
  };
  const limit = parseLimit(input.limit, 50);
  const { rows, total } = await ctx.repos.webhookOps.list(filter, limit);
  return {
    filter: { ...filter, limit },
    total,
    events: rows.map((r) => ({
      eventId: r.event_id,
      type: r.event_type,
      entityId: r.entity_id,
      status: r.processing_status,
      attempts: r.attempts,
      error: r.error_message,
      receivedAt: new Date(r.created_at),
      processedAt: r.processed_at ? new Date(r.processed_at) : null,
    })),
  };
}

/** The listing `listWebhookEvents` returns. */
export type WebhookEventList = Awaited<ReturnType<typeof listWebhookEvents>>;
