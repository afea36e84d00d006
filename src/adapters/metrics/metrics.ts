import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A pg.Pool's counts (totalCount, idleCount, waitingCount). */
export type PoolStats = { total: number; idle: number; waiting: number };

/** What became of one POST to the webhook route. */
export type WebhookOutcome =
  | 'stored'
  | 'duplicate'
  | 'bad_signature'
  | 'malformed'
  | 'too_large'
  | 'unavailable';

/** Counts of one inbox processing pass (processInbox's outcome). */
export type ProcessingCounts = { processed: number; retried: number; failed: number; skipped: number };

/** The database reads of a scrape; null when the database did not answer in time. */
export type ScrapeReads = {
  inbox: { pending: number; oldestPendingSeconds: number; lagSeconds: number };
  payments: { window: string; captured: number; failed: number }[];
} | null;

/** Where the numbers read at scrape time come from; each is optional. */
export type MetricsSources = {
  pool?: () => PoolStats;
  database?: () => Promise<ScrapeReads>;
  /**
   * The flags reader (flag name -> on), exported as polaris_flag_state{flag}; src/wiring/http.ts
   * passes the flags service's effective view.
   */
  flagStates?: () => Promise<Record<string, boolean>>;
};

const WEBHOOK_OUTCOMES: WebhookOutcome[] = [
  'stored',
  'duplicate',
  'bad_signature',
  'malformed',
  'too_large',
  'unavailable',
];
const PROCESSING_OUTCOMES = ['processed', 'retried', 'failed', 'skipped'] as const;

/**
 * One Prometheus registry and Polaris's metrics in it. Made once per process in the composition
 * root and injected, so two apps (tests) never share counters.
 */
export function createMetrics(sources: MetricsSources = {}) {
  const registry = new Registry();
  const registers = [registry];
  const httpRequests = new Counter({
    name: 'polaris_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'polaris_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const webhooks = new Counter({
    name: 'polaris_webhook_deliveries_total',
    help: 'Razorpay webhook deliveries by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });
  const processing = new Counter({
    name: 'polaris_inbox_events_total',
    help: 'Inbox events handled by processing passes, by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });
  for (const outcome of WEBHOOK_OUTCOMES) webhooks.inc({ outcome }, 0);
  for (const outcome of PROCESSING_OUTCOMES) processing.inc({ outcome }, 0);
  const gauges = databaseGauges(registry);
  poolGauges(registry, sources.pool);
  flagGauge(registry, sources.flagStates ?? (async () => ({})));

  return {
    contentType: registry.contentType,
    /** Counts one answered request; `route` is the matched pattern, never the raw path. */
    observeRequest(request: { method: string; route: string; status: number; seconds: number }): void {
      const labels = { method: request.method, route: request.route, status: String(request.status) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, request.seconds);
    },
    countWebhook(outcome: WebhookOutcome): void {
      webhooks.inc({ outcome });
    },
    countProcessing(counts: ProcessingCounts): void {
      for (const outcome of PROCESSING_OUTCOMES)
        if (counts[outcome] > 0) processing.inc({ outcome }, counts[outcome]);
    },
    /** The text exposition, after reading what lives in the database (omitted when it does not answer). */
    async render(): Promise<string> {
      gauges.set(sources.database ? await sources.database() : null, sources.database !== undefined);
      return registry.metrics();
    },
  };
}

/** Polaris's metrics, as the HTTP interface and the workers use them. */
export type Metrics = ReturnType<typeof createMetrics>;

const DATABASE_UP = 'polaris_database_up';

function databaseGauges(registry: Registry) {
  const registers = [registry];
  const dependents: [string, Gauge][] = [];
  // Every gauge but `up` depends on the scrape's database reads, so it leaves with them.
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) => {
    const made = new Gauge<L>({ name, help, labelNames, registers });
    dependents.push([name, made as Gauge]);
    return made;
  };
  const up = new Gauge({
    name: DATABASE_UP,
    help: '1 when this scrape read the database; 0 when it did not answer (its metrics are then omitted)',
    registers,
  });
  const pending = gauge('polaris_inbox_pending_events', 'Webhook events not yet applied');
  const oldest = gauge('polaris_inbox_oldest_pending_age_seconds', 'Age of the oldest event not yet applied');
  const lag = gauge(
    'polaris_inbox_processing_lag_seconds',
    'Age of the oldest event due for processing now (0 when caught up)',
  );
  const attempts = gauge('polaris_payments_recent', 'Payments captured or failed within the window', [
    'window',
    'outcome',
  ] as const);
  const success = gauge(
    'polaris_payment_success_ratio',
    'Captured / (captured + failed) within the window; absent when there was no payment',
    ['window'] as const,
  );
  // A label-less gauge always renders a value, so "omitted" means out of the registry until the
  // database answers again: a stale or zero backlog would read as "all is well".
  const include = (on: boolean) => {
    for (const [name, gauge] of dependents) {
      const registered = registry.getSingleMetric(name) !== undefined;
      if (on && !registered) registry.registerMetric(gauge);
      if (!on && registered) registry.removeSingleMetric(name);
    }
  };
  return {
    set(reads: ScrapeReads, configured: boolean): void {
      for (const [, gauge] of dependents) gauge.reset();
      include(configured && reads !== null);
      if (!configured) {
        registry.removeSingleMetric(DATABASE_UP);
        return;
      }
      up.set(reads ? 1 : 0);
      if (!reads) return;
      pending.set(reads.inbox.pending);
      oldest.set(reads.inbox.oldestPendingSeconds);
      lag.set(reads.inbox.lagSeconds);
      for (const p of reads.payments) {
        attempts.set({ window: p.window, outcome: 'captured' }, p.captured);
        attempts.set({ window: p.window, outcome: 'failed' }, p.failed);
        const total = p.captured + p.failed;
        if (total > 0) success.set({ window: p.window }, p.captured / total);
      }
    },
  };
}

function poolGauges(registry: Registry, pool: (() => PoolStats) | undefined): void {
  if (!pool) return;
  new Gauge({
    name: 'polaris_db_pool_connections',
    help: 'Database pool connections by state (in_use, idle)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = pool();
      this.set({ state: 'in_use' }, stats.total - stats.idle);
      this.set({ state: 'idle' }, stats.idle);
    },
  });
  new Gauge({
    name: 'polaris_db_pool_waiting_requests',
    help: 'Queries waiting for a pool connection',
    registers: [registry],
    collect() {
      this.set(pool().waiting);
    },
  });
}

function flagGauge(registry: Registry, read: () => Promise<Record<string, boolean>>): void {
  new Gauge({
    name: 'polaris_flag_state',
    help: 'Each system flag (payments, maintenance, read-only) as the flags service reads it: 1 on, 0 off',
    labelNames: ['flag'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const states = await read().catch(() => ({}));
      for (const [flag, on] of Object.entries(states)) this.set({ flag }, on ? 1 : 0);
    },
  });
}
