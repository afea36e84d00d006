/** The closed set of failure codes; each interface maps them once (http status, cli exit code). */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'account_disabled',
  'password_reset_required',
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'headers_too_large',
  'request_timeout',
  'rate_limited',
  'unavailable',
  'database_unavailable',
  'migration_failed',
  'payments_disabled',
  'maintenance',
  'read_only',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An expected failure with a code from the closed union and a message safe to show. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** A result for expected failures (signature checks, migrations, backups, consistency checks). */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };
