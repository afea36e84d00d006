import { AppError } from '../../domain/errors.ts';
import {
  isHandledEventType,
  primaryEntityId,
  RazorpayEventEnvelope,
  RazorpayEventId,
} from '../../domain/razorpay-event.ts';
import type { ServiceContext } from '../context.ts';

/** One delivery as it arrived: the raw bytes and the two headers that matter. */
export type WebhookDelivery = {
  body: Uint8Array;
  signature: string | null;
  eventId: string | null;
  ip?: string;
};

/** What happened to a delivery that was accepted. */
export type WebhookReceipt = { eventId: string; duplicate: boolean; status: 'pending' | 'skipped' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Verifies a Razorpay delivery over its raw bytes (current and previous secret, constant time),
 * validates the envelope and stores it in the inbox keyed by X-Razorpay-Event-Id, exactly once.
 * Throws AppError bad_request, unauthorized, unavailable or database_unavailable; never stores a
 * forged or malformed body, and never reports success for an event it did not store.
 */
export async function receiveWebhook({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: WebhookDelivery;
}): Promise<WebhookReceipt> {
  if (!input.signature) throw new AppError('bad_request', 'X-Razorpay-Signature header is required');
  // Read once: a development server picks up a rotated secret between deliveries.
  const secrets = ctx.settings.webhookSecrets;
  const verdict = ctx.signatures.verifyWebhook(input.body, input.signature, secrets);
  if (!verdict.ok) {
    if (verdict.error === 'no_secret') throw new AppError('unavailable', 'no webhook secret is configured');
    // A security log line is all a bad signature leaves behind; never the body or the secret.
    ctx.log.warn(
      {
        security: 'webhook_signature_rejected',
        reason: verdict.error,
        ip: input.ip,
        bytes: input.body.byteLength,
      },
      'webhook signature rejected',
    );
    throw new AppError('unauthorized', 'invalid webhook signature');
  }

  let parsed: ReturnType<typeof parseEnvelope>;
  try {
    parsed = parseEnvelope(input.body);
  } catch (error) {
    ctx.log.warn(
      { security: 'webhook_malformed', reason: (error as Error).message },
      'signed webhook body refused',
    );
    throw error;
  }
  const eventId = RazorpayEventId.safeParse(input.eventId);
  if (!eventId.success)
    throw new AppError('bad_request', 'X-Razorpay-Event-Id header is missing or malformed');

  const { envelope, text } = parsed;
  const status = isHandledEventType(envelope.event) ? 'pending' : 'skipped';
  let inserted: boolean;
  try {
    inserted = await ctx.repos.inbox.insertEvent({
      event_id: eventId.data,
      event_type: envelope.event,
      account_id: envelope.account_id,
      entity_id: primaryEntityId(envelope),
      event_created_at: new Date(envelope.created_at * 1000),
      payload: text,
      processing_status: status,
      processed_at: status === 'skipped' ? ctx.now() : null,
      secret_fingerprint: ctx.signatures.fingerprint(secrets[verdict.value.secretIndex] as string),
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'bad_request') {
      ctx.log.warn(
        { security: 'webhook_unstorable', eventId: eventId.data, reason: error.message },
        'signed webhook refused: its values cannot be stored',
      );
      throw error;
    }
    ctx.log.error({ err: error, eventId: eventId.data }, 'webhook could not be stored');
    throw new AppError('database_unavailable', 'the event could not be stored; retry later');
  }
  return { eventId: eventId.data, duplicate: !inserted, status };
}

// A signed body that is not a Razorpay envelope: Razorpay never sends one, a forger with the secret might.
function parseEnvelope(body: Uint8Array): { envelope: RazorpayEventEnvelope; text: string } {
  let text: string;
  let json: unknown;
  try {
    text = utf8.decode(body);
    json = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'body is not JSON');
  }
  const envelope = RazorpayEventEnvelope.safeParse(json);
  if (!envelope.success) throw new AppError('bad_request', 'body is not a Razorpay event envelope');
  return { envelope: envelope.data, text };
}
