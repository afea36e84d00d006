import type { SendFailure } from '../../domain/notification-retry.ts';
import type { DeliveryChannel } from '../db/schema-notifications.ts';

/** One message as a channel sends it; `deliveryId` lets a receiver drop a repeat. */
export type OutgoingMessage = {
  deliveryId: string;
  requestKey: string;
  recipient: string;
  subject: string;
  text: string;
  unsubscribeUrl: string | null;
};

/** A send either went through or failed in a way that may (retry) or will not (permanent) pass later. */
export type SendResult = { ok: true } | { ok: false; failure: SendFailure };

/** One transport: SMTP, a Slack-compatible webhook, a signed webhook, or the log. */
export type NotifyChannel = { send(message: OutgoingMessage): Promise<SendResult> };

/** The transports this process has, and the address users may write to. */
export type NotificationsPort = {
  /** A channel left out is not configured: nothing is queued for slack/webhook, email fails naming SMTP_URL. */
  channels: Partial<Record<DeliveryChannel, NotifyChannel>>;
  /** The Support line of user-facing mails (NOTIFY_FROM's address). */
  supportAddress: string;
  /** ALERT_EMAIL: pages a roster level with no email address configured. */
  alertAddress?: string | undefined;
};

/** A failure from an HTTP status: 408, 429 and 5xx may pass later, other 4xx will not. */
export function httpFailure(status: number, what: string): SendFailure {
  const retry = status === 408 || status === 429 || status >= 500;
  return { kind: retry ? 'retry' : 'permanent', message: `${what} answered HTTP ${status}` };
}

/** A failure from a thrown network error: always worth another try. */
export function networkFailure(error: unknown, what: string): SendFailure {
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'retry', message: `${what} unreachable: ${message}` };
}
