import { z } from 'zod';

/** Fault knobs for webhook delivery. */
export const WebhookFaults = z.strictObject({
  /** Copies of each event sent to each endpoint (1 = no duplicates). */
  duplicate: z.number().int().min(1).max(20).default(1),
  /** Collect new deliveries for this many ms and start them in reverse order. */
  reorder_window_ms: z.number().int().min(0).max(60_000).default(0),
  /** Extra ms before each first attempt. */
  delay_ms: z.number().int().min(0).max(600_000).default(0),
  /** The first N attempts of every delivery fail without being sent. */
  fail_first: z.number().int().min(0).max(100).default(0),
  /** Fraction of deliveries never sent at all (1 drops everything). */
  drop: z.number().min(0).max(1).default(0),
});
export type WebhookFaults = z.infer<typeof WebhookFaults>;

/** API outage: every /v1 call answers 5xx or 429, or hangs, until `until_ms` (real time). */
export const ApiOutage = z.strictObject({
  mode: z.enum(['error', 'rate_limit', 'hang']),
  status: z.number().int().min(500).max(599).default(503),
  duration_ms: z.number().int().min(1).max(3_600_000),
});
export type ApiOutage = z.infer<typeof ApiOutage>;

/** The knobs with nothing switched on. */
export const NO_WEBHOOK_FAULTS: WebhookFaults = WebhookFaults.parse({});
