import { AppError } from '../../domain/errors.ts';
import { INBOX_STATUSES, type InboxStatus } from '../../domain/inbox-retry.ts';
import { RazorpayEventId } from '../../domain/razorpay-event.ts';

/** The most events one listing shows. */
export const MAX_LIST_LIMIT = 1000;

const EVENT_TYPE = /^[a-z_]+(\.[a-z_]+)*$/;

/** `--status failed` or `--status failed,pending`: each one of the inbox's statuses. */
export function parseStatuses(text: string | undefined): InboxStatus[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(INBOX_STATUSES as readonly string[]).includes(name)) {
      throw new AppError(
        'bad_request',
        `--status ${JSON.stringify(name)}: expected one or more of ${INBOX_STATUSES.join(', ')} (comma-separated)`,
      );
    }
  }
  return [...new Set(names as InboxStatus[])];
}

/** `--type payment.captured` (one type) or `--type payment` (the family). */
export function parseEventType(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const type = text.trim();
  if (!EVENT_TYPE.test(type)) {
    throw new AppError(
      'bad_request',
      `--type ${JSON.stringify(text)}: expected an event type like payment.captured, or a family like subscription`,
    );
  }
  return type;
}

/** `--limit N`: a whole number from 1 to MAX_LIST_LIMIT. */
export function parseLimit(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const limit = /^\d{1,7}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_LIST_LIMIT)) {
    throw new AppError(
      'bad_request',
      `--limit ${JSON.stringify(text)}: expected a number from 1 to ${MAX_LIST_LIMIT}`,
    );
  }
  return limit;
}

/** An X-Razorpay-Event-Id as an operator types it. */
export function parseEventId(text: string): string {
  const id = text.trim();
  if (!RazorpayEventId.safeParse(id).success) {
    throw new AppError(
      'bad_request',
      `${JSON.stringify(text)} is not a webhook event id (X-Razorpay-Event-Id)`,
    );
  }
  return id;
}
