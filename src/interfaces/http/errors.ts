import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode } from '../../domain/errors.ts';
import { errorPageHtml } from '../web/error-page.tsx';
import type { AppEnv } from './env.ts';

/** The one place error codes become HTTP statuses. */
export const codeToStatus: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  account_disabled: 403,
  password_reset_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  headers_too_large: 431,
  unavailable: 503,
  database_unavailable: 503,
  migration_failed: 503,
  payments_disabled: 503,
  maintenance: 503,
  read_only: 503,
  internal: 500,
};

/** Seconds a client should wait before retrying a 503 when nothing more precise is known. */
export const RETRY_AFTER_SECONDS = 5;

/** The error body of DESIGN §11, as JSON text; also used where no Hono context exists (Node's own 400/431). */
export function errorBody(code: ErrorCode, message: string, requestId: string | null): string {
  return JSON.stringify({ error: { code, message, requestId } });
}

// Machine routes answer JSON whatever the Accept header says.
const MACHINE_PREFIXES = ['/api/', '/_emulator/', '/metrics', '/status/feed.atom'];

/** A browser asking for a page or posting a form (not the JSON API): it gets an HTML error page. */
export function wantsHtml(c: Context<AppEnv>): boolean {
  if (MACHINE_PREFIXES.some((prefix) => c.req.path.startsWith(prefix))) return false;
  return /\btext\/html\b/.test(c.req.header('accept') ?? '');
}

/**
 * Answers with the error shape of DESIGN §11: { error: { code, message, requestId } }; a 503 always
 * carries Retry-After. A browser on a page gets the same status as an HTML page, and a visitor who
 * must sign in is sent to /sign-in with the page to come back to.
 */
export function errorResponse(
  c: Context<AppEnv>,
  code: ErrorCode,
  message: string,
  headers?: Record<string, string>,
) {
  const requestId = c.get('requestId') ?? null;
  const status = codeToStatus[code];
  const all = status === 503 ? { 'Retry-After': String(RETRY_AFTER_SECONDS), ...headers } : headers;
  if (!wantsHtml(c)) return c.json({ error: { code, message, requestId } }, status, all);
  if (code === 'unauthorized') {
    const back = c.req.method === 'GET' ? new URL(c.req.url) : null;
    const next = back ? `?next=${encodeURIComponent(back.pathname + back.search)}` : '';
    return c.redirect(`/sign-in${next}`, 303);
  }
  const caller = c.get('caller') ?? null;
  return c.html(errorPageHtml({ status, message, requestId, caller }), status, all);
}

/** A Retry-After the error itself carries (a rate limit's window), in seconds. */
function retryAfterOf(error: AppError): Record<string, string> | undefined {
  const seconds = error.details?.retryAfterSeconds;
  return typeof seconds === 'number' ? { 'Retry-After': String(seconds) } : undefined;
}

/** Maps a thrown error: AppErrors keep their code and message; anything else is a logged 500 with no detail. */
export function handleError(error: Error, c: Context<AppEnv>) {
  const log = c.get('log');
  if (error instanceof AppError) {
    if (error.code === 'database_unavailable') log?.warn({ err: error.cause ?? error }, error.message);
    return errorResponse(c, error.code, error.message, retryAfterOf(error));
  }
  log?.error({ err: error }, 'unhandled error');
  return errorResponse(c, 'internal', 'internal error; quote the request id when reporting it');
}
