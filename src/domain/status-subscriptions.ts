import { z } from 'zod';
import { AppError } from './errors.ts';

const Email = z.email();

/** Days a confirmation link stays good. */
export const CONFIRM_LINK_DAYS = 7;

/** Minimum time between two confirmation mails to one address, whoever asks for them. */
export const CONFIRM_RESEND_MS = 60 * 60_000;

/** A subscriber's address from a form: trimmed, lower case, a valid address of at most 320 characters. */
export function parseSubscriberEmail(raw: string | undefined): string {
  const email = raw?.trim().toLowerCase() ?? '';
  if (email === '') throw new AppError('bad_request', 'email: required');
  if (email.length > 320) throw new AppError('bad_request', 'email: at most 320 characters');
  if (!Email.safeParse(email).success) {
    throw new AppError('bad_request', `email: '${raw?.trim()}' is not an email address`);
  }
  return email;
}

/** A token from a confirmation or unsubscribe link (43 base64url characters). */
export function parseLinkToken(raw: string | undefined): string {
  const token = raw?.trim() ?? '';
  if (token === '') throw new AppError('bad_request', 'token: required (open the link from the mail)');
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) {
    throw new AppError('bad_request', 'token: not a link Polaris sent (copy the whole link from the mail)');
  }
  return token;
}
