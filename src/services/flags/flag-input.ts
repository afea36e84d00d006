import { AppError } from '../../domain/errors.ts';
import {
  DURATION_HINT,
  FLAG_NAMES,
  type FlagName,
  parseDuration,
  parseFlagName,
} from '../../domain/flags.ts';

const MAX_TEXT = 500;

/** The flag a name means, or AppError not_found listing the flags. */
export function flagNamed(raw: string): FlagName {
  const name = parseFlagName(raw);
  if (!name) throw new AppError('not_found', `unknown flag '${raw}'; the flags are ${FLAG_NAMES.join(', ')}`);
  return name;
}

/** The reason every change needs, trimmed; AppError bad_request when it is missing or too long. */
export function requiredReason(raw: string | undefined): string {
  const reason = raw?.trim() ?? '';
  if (reason === '')
    throw new AppError('bad_request', 'reason: required; say why (it goes to the audit log)');
  if (reason.length > MAX_TEXT) throw new AppError('bad_request', `reason: at most ${MAX_TEXT} characters`);
  return reason;
}

/** An optional message for people (banner, 503 body), trimmed; null when empty. */
export function optionalMessage(raw: string | null | undefined): string | null {
  const message = raw?.trim() ?? '';
  if (message.length > MAX_TEXT) throw new AppError('bad_request', `message: at most ${MAX_TEXT} characters`);
  return message === '' ? null : message;
}

/** Milliseconds of a `for` duration; AppError bad_request naming the text when it cannot be read. */
export function durationOf(raw: string): number {
  const ms = parseDuration(raw);
  if (ms === undefined) throw new AppError('bad_request', `for: cannot read '${raw}'; ${DURATION_HINT}`);
  return ms;
}
