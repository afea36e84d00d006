import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import { errorResponse } from './errors.ts';

/** The body limit of every route that names none: JSON APIs, auth included. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

const tooLarge = (limit: number) => `the request body exceeds ${limit / 1024} KiB`;

const larger = new WeakMap<Hono<AppEnv>, Map<string, number>>();

/** Lets one exact path of this app take a body larger than the default (webhooks, blueprints). */
export function allowBodyUpTo(app: Hono<AppEnv>, path: string, bytes: number): void {
  const limits = larger.get(app) ?? new Map<string, number>();
  limits.set(path, bytes);
  larger.set(app, limits);
}

/**
 * Refuses a body over its route's limit with 413 before it is buffered: a declared Content-Length
 * is compared without reading anything, and a chunked body is read only up to the limit, then
 * handed on as bytes.
 */
export function bodyLimits(app: Hono<AppEnv>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const limit = larger.get(app)?.get(c.req.path) ?? DEFAULT_BODY_LIMIT;
    // Headers only: touching the body stream makes @hono/node-server build a full Request.
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      // Node's parser holds the body to its declared length, so the header is enough.
      if (Number(length) > limit) return refuse(c, limit);
      return next();
    }
    const stream = c.req.raw.body;
    if (!stream) return next();
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return refuse(c, limit);
      }
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks) });
    return next();
  };
}

// Connection: close, so the client stops sending instead of the server draining what is left.
function refuse(c: Parameters<MiddlewareHandler<AppEnv>>[0], limit: number) {
  return errorResponse(c, 'payload_too_large', tooLarge(limit), { Connection: 'close' });
}
