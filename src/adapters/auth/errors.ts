import { AppError, type ErrorCode } from '../../domain/errors.ts';

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'bad_request',
  // better-auth's 422s are an email already taken (found, or lost in a race on the unique index).
  422: 'conflict',
  429: 'rate_limited',
};

/** One better-auth refusal (status, its code, its message) as our AppError; its code stays in the message. */
export function authRefusal(
  status: number,
  code: string,
  message: string,
  retryAfter?: string | null,
): AppError {
  const ours: ErrorCode =
    code === 'BANNED_USER' || code === 'ACCOUNT_DISABLED'
      ? 'account_disabled'
      : code === 'PASSWORD_RESET_REQUIRED'
        ? 'password_reset_required'
        : (BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request'));
  const text =
    ours === 'internal' ? 'the sign-in service failed; quote the request id when reporting it' : message;
  const seconds = Number(retryAfter);
  return new AppError(
    ours,
    code && ours !== 'internal' ? `${text} (${code})` : text,
    Number.isFinite(seconds) && seconds > 0 ? { retryAfterSeconds: Math.ceil(seconds) } : undefined,
  );
}

/** Reads a better-auth error response ({ code, message } JSON, or nothing) into an AppError. */
export async function refusalOf(response: Response): Promise<AppError> {
  const body = (await response.json().catch(() => null)) as { code?: unknown; message?: unknown } | null;
  const code = typeof body?.code === 'string' ? body.code : '';
  const message =
    typeof body?.message === 'string' && body.message !== ''
      ? body.message
      : response.statusText || 'refused';
  return authRefusal(response.status, code, message, response.headers.get('x-retry-after'));
}
