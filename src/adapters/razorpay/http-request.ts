import type { z } from 'zod';
import type { Result } from '../../domain/errors.ts';
import { RazorpayApiError, type RazorpayError, RazorpayTransportError } from './errors.ts';
import { RzpErrorBody } from './wire.ts';

/** How the HTTP client reaches Razorpay, and how patient it is. */
export type HttpClientOptions = {
  baseUrl: string;
  keyId: string;
  keySecret: string;
  /** Per attempt, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Extra attempts for retryable failures. Default 3. */
  retries?: number;
  /** Base of the exponential backoff, in ms. Default 200. */
  backoffMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

/** One call: method, path under the base URL, body, and whether repeating it is safe. */
export type Call = {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  idempotent: boolean;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends calls with Basic auth, a timeout per attempt and retries with full jitter: 429 is always
 * retried (Razorpay refused before doing anything); 5xx, timeouts and network failures only for
 * idempotent calls.
 */
export function createHttpClient(o: HttpClientOptions) {
  const doFetch = o.fetch ?? fetch;
  const sleep = o.sleep ?? defaultSleep;
  const random = o.random ?? Math.random;
  const auth = `Basic ${Buffer.from(`${o.keyId}:${o.keySecret}`).toString('base64')}`;
  const base = o.baseUrl.replace(/\/+$/, '');

  const once = async (call: Call): Promise<Result<unknown, RazorpayError>> => {
    const url = new URL(`${base}${call.path}`);
    for (const [k, v] of Object.entries(call.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const controller = new AbortController();
    const timeoutMs = o.timeoutMs ?? 10_000;
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await doFetch(url, {
        method: call.method,
        headers: {
          authorization: auth,
          accept: 'application/json',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...call.headers,
        },
        body: call.body === undefined ? null : JSON.stringify(call.body),
        signal: controller.signal,
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = text === '' ? null : JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (res.ok) {
        if (json === undefined) {
          return {
            ok: false,
            error: new RazorpayTransportError('invalid_response', 'response is not JSON', res.status),
          };
        }
        return { ok: true, value: json };
      }
      const parsed = RzpErrorBody.safeParse(json);
      if (!parsed.success) {
        const code = res.status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST_ERROR';
        return {
          ok: false,
          error: new RazorpayApiError(res.status, code, text.slice(0, 200) || res.statusText),
        };
      }
      const e = parsed.data.error;
      const details = {
        ...(e.source ? { source: e.source } : {}),
        ...(e.step ? { step: e.step } : {}),
        ...(e.reason ? { reason: e.reason } : {}),
        ...(e.metadata ? { metadata: e.metadata } : {}),
      };
      return {
        ok: false,
        error: new RazorpayApiError(res.status, e.code, e.description, e.field ?? null, details),
      };
    } catch (err) {
      if (controller.signal.aborted) {
        return {
          ok: false,
          error: new RazorpayTransportError('timeout', `no answer within ${timeoutMs} ms`),
        };
      }
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const message = cause?.code ?? cause?.message ?? (err as Error).message;
      return { ok: false, error: new RazorpayTransportError('network', `network failure: ${message}`) };
    } finally {
      clearTimeout(timer);
    }
  };

  const retryable = (error: RazorpayError, call: Call): boolean => {
    if (error instanceof RazorpayApiError && error.statusCode === 429) return true;
    return call.idempotent && error.retryable;
  };

  return {
    /** Sends `call`, retrying when allowed, and validates a success body with `schema`. */
    async send<S extends z.ZodType>(call: Call, schema: S): Promise<Result<z.output<S>, RazorpayError>> {
      const retries = o.retries ?? 3;
      for (let attempt = 0; ; attempt++) {
        const result = await once(call);
        if (result.ok) {
          const parsed = schema.safeParse(result.value);
          if (parsed.success) return { ok: true, value: parsed.data };
          const issue = parsed.error.issues[0];
          const message = `unexpected response shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`;
          return { ok: false, error: new RazorpayTransportError('invalid_response', message, 200) };
        }
        if (attempt >= retries || !retryable(result.error, call)) return result;
        // Full jitter: a random wait up to the exponential cap spreads retries from many instances.
        await sleep(random() * (o.backoffMs ?? 200) * 2 ** attempt);
      }
    },
  };
}
