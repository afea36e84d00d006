import { describe, expect, it } from 'vitest';
import { createMetrics, type ScrapeReads } from './metrics.ts';

const READS: ScrapeReads = {
  inbox: { pending: 3, oldestPendingSeconds: 42.5, lagSeconds: 7 },
  payments: [
    { window: '5m', captured: 3, failed: 1 },
    { window: '15m', captured: 0, failed: 0 },
  ],
};

/** The sample lines of a metric family (no HELP or TYPE). */
const samples = (text: string, name: string) =>
  text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

describe('metrics registry', () => {
  it('renders request counts by route pattern and status, with a latency histogram', async () => {
    const metrics = createMetrics();
    metrics.observeRequest({ method: 'GET', route: '/api/blueprints/:id', status: 200, seconds: 0.02 });
    metrics.observeRequest({ method: 'GET', route: '/api/blueprints/:id', status: 200, seconds: 0.03 });
    const text = await metrics.render();
    expect(samples(text, 'polaris_http_requests_total')).toEqual([
      'polaris_http_requests_total{method="GET",route="/api/blueprints/:id",status="200"} 2',
    ]);
    expect(text).toContain(
      'polaris_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/api/blueprints/:id",status="200"} 1',
    );
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('starts every webhook and processing outcome at 0 so rates exist before the first event', async () => {
    const metrics = createMetrics();
    metrics.countWebhook('duplicate');
    metrics.countProcessing({ processed: 4, retried: 1, failed: 0, skipped: 0 });
    const text = await metrics.render();
    expect(samples(text, 'polaris_webhook_deliveries_total')).toEqual([
      'polaris_webhook_deliveries_total{outcome="stored"} 0',
      'polaris_webhook_deliveries_total{outcome="duplicate"} 1',
      'polaris_webhook_deliveries_total{outcome="bad_signature"} 0',
      'polaris_webhook_deliveries_total{outcome="malformed"} 0',
      'polaris_webhook_deliveries_total{outcome="too_large"} 0',
      'polaris_webhook_deliveries_total{outcome="unavailable"} 0',
    ]);
    expect(samples(text, 'polaris_inbox_events_total')).toEqual([
      'polaris_inbox_events_total{outcome="processed"} 4',
      'polaris_inbox_events_total{outcome="retried"} 1',
      'polaris_inbox_events_total{outcome="failed"} 0',
      'polaris_inbox_events_total{outcome="skipped"} 0',
    ]);
  });

  it('two registries never share a count', async () => {
    const one = createMetrics();
    const two = createMetrics();
    one.countWebhook('stored');
    expect(samples(await two.render(), 'polaris_webhook_deliveries_total')).toContain(
      'polaris_webhook_deliveries_total{outcome="stored"} 0',
    );
    expect(samples(await one.render(), 'polaris_webhook_deliveries_total')).toContain(
      'polaris_webhook_deliveries_total{outcome="stored"} 1',
    );
  });

  it('reads the database gauges at scrape time; the success ratio is absent for a window without payments', async () => {
    const text = await createMetrics({ database: async () => READS }).render();
    expect(samples(text, 'polaris_database_up')).toEqual(['polaris_database_up 1']);
    expect(samples(text, 'polaris_inbox_pending_events')).toEqual(['polaris_inbox_pending_events 3']);
    expect(samples(text, 'polaris_inbox_oldest_pending_age_seconds')).toEqual([
      'polaris_inbox_oldest_pending_age_seconds 42.5',
    ]);
    expect(samples(text, 'polaris_inbox_processing_lag_seconds')).toEqual([
      'polaris_inbox_processing_lag_seconds 7',
    ]);
    expect(samples(text, 'polaris_payment_success_ratio')).toEqual([
      'polaris_payment_success_ratio{window="5m"} 0.75',
    ]);
    expect(samples(text, 'polaris_payments_recent')).toEqual([
      'polaris_payments_recent{window="5m",outcome="captured"} 3',
      'polaris_payments_recent{window="5m",outcome="failed"} 1',
      'polaris_payments_recent{window="15m",outcome="captured"} 0',
      'polaris_payments_recent{window="15m",outcome="failed"} 0',
    ]);
  });

  it('leaves the database gauges out (no stale value) and says so when the database does not answer', async () => {
    let reads: ScrapeReads = READS;
    const metrics = createMetrics({ database: async () => reads });
    await metrics.render();
    reads = null;
    const text = await metrics.render();
    expect(samples(text, 'polaris_database_up')).toEqual(['polaris_database_up 0']);
    for (const name of [
      'polaris_inbox_pending_events',
      'polaris_inbox_oldest_pending_age_seconds',
      'polaris_inbox_processing_lag_seconds',
      'polaris_payment_success_ratio',
      'polaris_payments_recent',
    ]) {
      expect(samples(text, name), name).toEqual([]);
    }
  });

  it('reports the pool in use, idle and waiting from the pool counts', async () => {
    const text = await createMetrics({ pool: () => ({ total: 5, idle: 2, waiting: 4 }) }).render();
    expect(samples(text, 'polaris_db_pool_connections')).toEqual([
      'polaris_db_pool_connections{state="in_use"} 3',
      'polaris_db_pool_connections{state="idle"} 2',
    ]);
    expect(samples(text, 'polaris_db_pool_waiting_requests')).toEqual(['polaris_db_pool_waiting_requests 4']);
  });

  it('exports no flag state until a reader is given, and a failing reader costs only that gauge', async () => {
    expect(samples(await createMetrics().render(), 'polaris_flag_state')).toEqual([]);
    const on = await createMetrics({
      flagStates: async () => ({ payments: false, maintenance: true }),
    }).render();
    expect(samples(on, 'polaris_flag_state')).toEqual([
      'polaris_flag_state{flag="payments"} 0',
      'polaris_flag_state{flag="maintenance"} 1',
    ]);
    const failing = createMetrics({
      flagStates: async () => {
        throw new Error('down');
      },
    });
    failing.countWebhook('stored');
    const text = await failing.render();
    expect(samples(text, 'polaris_flag_state')).toEqual([]);
    expect(text).toContain('polaris_webhook_deliveries_total{outcome="stored"} 1');
  });
});
