import { AppError } from './errors.ts';

/** The longest reason an operator may give, in characters. */
export const MAX_REASON_LENGTH = 500;

/** An operator's reason for an audited action: required, trimmed, at most MAX_REASON_LENGTH. */
export function requireReason(reason: string | undefined): string {
  const text = reason?.trim() ?? '';
  if (text === '')
    throw new AppError('bad_request', 'reason: required (--reason "why"); it goes to the audit log');
  if (text.length > MAX_REASON_LENGTH)
    throw new AppError('bad_request', `reason: at most ${MAX_REASON_LENGTH} characters`);
  return text;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How an operator names an account: its user id (a UUID) or its email. */
export function userReference(text: string): { userId: string } | { email: string } {
  const value = text.trim();
  if (UUID.test(value)) return { userId: value.toLowerCase() };
  if (/^[^@\s]+@[^@\s]+$/.test(value)) return { email: value.toLowerCase() };
  throw new AppError('bad_request', `"${text}" is neither an email nor a user id`);
}
