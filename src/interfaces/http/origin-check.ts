import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import { errorResponse } from './errors.ts';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Razorpay signs its deliveries; a cookie there authorises nothing.
const EXEMPT = new Set(['/api/webhooks/razorpay']);

function originOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/** Whether a request names our own origin (PUBLIC_BASE_URL's, or the one it was sent to) in Origin, else Referer. */
export function fromOwnOrigin(c: Context<AppEnv>, publicBaseUrl: string): boolean {
  const origin = originOf(c.req.header('origin')) ?? originOf(c.req.header('referer'));
  return (
    origin !== undefined && (origin === new URL(publicBaseUrl).origin || origin === new URL(c.req.url).origin)
  );
}

/**
 * CSRF: a cookie-carrying POST/PUT/PATCH/DELETE (the JSON API and the pages' forms) must come from PUBLIC_BASE_URL's origin
 * or the origin it was sent to (Origin, else Referer): a page of another site can set neither.
 * Requests with an Authorization header are exempt: a bearer request is never authorised by its
 * cookie (resolveCaller ignores the cookie then).
 */
export function sameOriginWrites(publicBaseUrl: string): MiddlewareHandler<AppEnv> {
  const expected = new URL(publicBaseUrl).origin;
  return async (c, next) => {
    if (!UNSAFE.has(c.req.method) || EXEMPT.has(c.req.path)) return next();
    if (c.req.header('authorization') !== undefined || !c.req.header('cookie')) return next();
    if (fromOwnOrigin(c, publicBaseUrl)) return next();
    const origin = originOf(c.req.header('origin')) ?? originOf(c.req.header('referer'));
    return errorResponse(
      c,
      'forbidden',
      origin
        ? `cross-origin request refused: only ${expected} may send this with a session cookie`
        : `a request with a session cookie must carry an Origin header of ${expected}`,
    );
  };
}
