import type { MiddlewareHandler } from 'hono';
import { plainError } from './api-error.ts';
import type { Timers } from './clock.ts';
import type { ApiOutage } from './webhook-faults.ts';

type Active = { mode: ApiOutage['mode']; status: number; untilMs: number };

/** Injected API outages: /v1 answers 5xx or 429, or hangs, until the period ends. */
export function createApiOutage(timers: Timers) {
  let active: Active | null = null;
  const current = (): Active | null => {
    if (active && timers.nowMs() >= active.untilMs) active = null;
    return active;
  };
  const middleware: MiddlewareHandler = async (c, next) => {
    const outage = current();
    if (!outage) return next();
    if (outage.mode === 'rate_limit') {
      return c.json(plainError(429, 'Too many requests').body, 429);
    }
    if (outage.mode === 'hang') {
      // Hold the request until the outage is over; clients are expected to time out first.
      await new Promise((resolve) =>
        timers.setTimeout(() => resolve(null), Math.max(0, outage.untilMs - timers.nowMs())),
      );
    }
    const error = plainError(
      503,
      'The server encountered an error. The incident has been reported to admins.',
      'SERVER_ERROR',
    );
    return c.json(error.body, outage.status as 500);
  };
  return {
    middleware,
    start(outage: ApiOutage): void {
      active = { mode: outage.mode, status: outage.status, untilMs: timers.nowMs() + outage.duration_ms };
    },
    stop(): void {
      active = null;
    },
    status: () => {
      const a = current();
      return a
        ? { mode: a.mode, status: a.status, remaining_ms: Math.round(a.untilMs - timers.nowMs()) }
        : null;
    },
  };
}

/** The outage controller's public face. */
export type ApiOutageControl = ReturnType<typeof createApiOutage>;
