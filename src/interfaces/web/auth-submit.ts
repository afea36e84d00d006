import type { Context } from 'hono';
import { AppError, type ErrorCode } from '../../domain/errors.ts';
import type { ServiceContext } from '../../services/context.ts';
import { handleAuthRequest } from '../../services/users/handle-auth-request.ts';
import { clientAddress } from '../http/client-ip.ts';
import type { AppEnv } from '../http/env.ts';

/** better-auth's answer to a form, or the refusal a page explains beside its fields. */
export type AuthOutcome = { ok: true; response: Response } | { ok: false; error: AppError };

// Refusals a page explains itself; any other (database down, a bug) goes to the error page.
const EXPLAINED: ReadonlySet<ErrorCode> = new Set([
  'bad_request',
  'unauthorized',
  'forbidden',
  'conflict',
  'account_disabled',
  'password_reset_required',
  'rate_limited',
]);

/**
 * Sends a form's fields as JSON to better-auth's own endpoint (`/api/auth<path>`) through the same
 * service as the API, as this browser (its address, and its cookie when `withCookie`). The form's
 * origin was checked by the page, so the request carries PUBLIC_BASE_URL's origin.
 */
export async function submitToAuth(
  c: Context<AppEnv>,
  ctx: ServiceContext,
  path: string,
  body: Record<string, unknown>,
  options: { withCookie?: boolean } = {},
): Promise<AuthOutcome> {
  const headers = new Headers({
    'content-type': 'application/json',
    origin: new URL(ctx.settings.publicBaseUrl).origin,
  });
  const cookie = c.req.header('cookie');
  if (options.withCookie && cookie) headers.set('cookie', cookie);
  const userAgent = c.req.header('user-agent');
  if (userAgent) headers.set('user-agent', userAgent);
  const request = new Request(new URL(`/api/auth${path}`, c.req.url), {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  try {
    return {
      ok: true,
      response: await handleAuthRequest({ ctx, input: { request, clientIp: clientAddress(c) } }),
    };
  } catch (error) {
    if (error instanceof AppError && EXPLAINED.has(error.code)) return { ok: false, error };
    throw error;
  }
}

/** A 303 to `location` carrying the cookies better-auth set (a new session, or its removal). */
export function redirectWithCookies(c: Context<AppEnv>, response: Response, location: string) {
  for (const cookie of response.headers.getSetCookie()) c.header('Set-Cookie', cookie, { append: true });
  return c.redirect(location, 303);
}
