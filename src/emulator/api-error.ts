import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Razorpay's error body, as its API returns it. */
export type ApiErrorBody = {
  error: {
    code: 'BAD_REQUEST_ERROR' | 'GATEWAY_ERROR' | 'SERVER_ERROR';
    description: string;
    source: string;
    step: string;
    reason: string;
    metadata: Record<string, unknown>;
    field?: string;
  };
};

/** An error response the emulator answers with: an HTTP status and Razorpay's body. */
export type ApiError = { status: ContentfulStatusCode; body: ApiErrorBody };

/** A result of an emulator operation: the entity, or Razorpay's error. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** 400 for bad input, shaped like Razorpay's validation errors. */
export function badRequest(
  description: string,
  field?: string,
  metadata: Record<string, unknown> = {},
): ApiError {
  return {
    status: 400,
    body: {
      error: {
        code: 'BAD_REQUEST_ERROR',
        description,
        source: 'business',
        step: 'payment_initiation',
        reason: 'input_validation_failed',
        metadata,
        ...(field === undefined ? {} : { field }),
      },
    },
  };
}

/** A non-validation error with Razorpay's `NA` source, step and reason. */
export function plainError(
  status: ContentfulStatusCode,
  description: string,
  code: ApiErrorBody['error']['code'] = 'BAD_REQUEST_ERROR',
  field?: string,
): ApiError {
  return {
    status,
    body: {
      error: {
        code,
        description,
        source: 'NA',
        step: 'NA',
        reason: 'NA',
        metadata: {},
        ...(field === undefined ? {} : { field }),
      },
    },
  };
}

/** Unknown ids answer 400, not 404, as on the real API. */
export const idNotFound = (): ApiError => badRequest('The id provided does not exist', 'id');

/** Unknown routes and methods. */
export const urlNotFound = (): ApiError => plainError(400, 'The requested URL was not found on the server.');

/** Wrong or missing Basic credentials. */
export const authFailed = (): ApiError => plainError(401, 'Authentication failed');

/** A failed result carrying `error`. */
export const failure = <T>(error: ApiError): ApiResult<T> => ({ ok: false, error });

/** A successful result carrying `value`. */
export const success = <T>(value: T): ApiResult<T> => ({ ok: true, value });

/** Sends a result: the entity with 200 (Razorpay never answers 201), or the error with its status. */
export function reply<T>(c: Context, result: ApiResult<T>): Response {
  return result.ok ? c.json(result.value as object, 200) : c.json(result.error.body, result.error.status);
}
