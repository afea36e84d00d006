import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode } from '../../domain/errors.ts';
import type { AppEnv } from './env.ts';

/** The one place error codes become HTTP statuses. */
export const codeToStatus: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unavailable: 503,
  database_unavailable: 503,
  migration_failed: 503,
  payments_disabled: 503,
  internal: 500,
};

/** Answers with the error shape of DESIGN §11: { error: { code, message, requestId } }. */
export function errorResponse(
  c: Context<AppEnv>,
  code: ErrorCode,
  message: string,
  headers?: Record<string, string>,
) {
  const requestId = c.get('requestId');
  return c.json({ error: { code, message, requestId: requestId ?? null } }, codeToStatus[code], headers);
}

/** Maps a thrown error: AppErrors keep their code and message; anything else is a logged 500 with no detail. */
export function handleError(error: Error, c: Context<AppEnv>) {
  if (error instanceof AppError) return errorResponse(c, error.code, error.message);
  const log = c.get('log');
  log?.error({ err: error }, 'unhandled error');
  return errorResponse(c, 'internal', 'internal error; quote the request id when reporting it');
}
