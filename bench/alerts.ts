import { type CompiledQuery, type Kysely, sql } from 'kysely';
import { createKysely } from '../src/adapters/db/connection.ts';
import type { Database } from '../src/adapters/db/schema.ts';
import { evaluateAlerts } from '../src/services/alerts/evaluate-alerts.ts';
import { benchContext, postgresDb } from './support/context.ts';
import { describePlan, explain, recordingKysely } from './support/explain.ts';

// What one alert evaluation costs at issue 10's sizes: 1M payments over a year, 200k webhook
// events, 1M request-log rows over a week. The rows are written set-based (alone, not a consistent
// billing data set: the rules read only these three tables), then every SELECT an evaluation
// issues is EXPLAINed with its own parameters, and evaluations are timed back to back.

const PAYMENTS = Number(process.env.BENCH_ALERTS_PAYMENTS ?? 1_000_000);
const RUNS = 50;

async function seed(db: Kysely<Database>) {
  await sql`
    INSERT INTO payments (razorpay_payment_id, amount, status, created_at, captured_at, failed_at)
    SELECT 'pay_B' || j, 349900, CASE WHEN j % 25 = 0 THEN 'failed' ELSE 'captured' END, at,
           CASE WHEN j % 25 = 0 THEN NULL ELSE at END, CASE WHEN j % 25 = 0 THEN at END
    FROM (SELECT j, now() - make_interval(days => (j % 365)::int, secs => (j % 86400)::int) AS at
          FROM generate_series(1, ${PAYMENTS}::int) j) p`.execute(db);
  await sql`
    INSERT INTO razorpay_webhook_events (event_id, event_type, payload, processing_status, attempts,
      error_message, created_at, processed_at)
    SELECT 'evt_B' || j, 'payment.captured', '{}',
           CASE WHEN j % 1000 = 0 THEN 'failed' ELSE 'processed' END, 1,
           CASE WHEN j % 1000 = 0 THEN 'bench' END, at, at
    FROM (SELECT j, now() - make_interval(days => (j % 365)::int, secs => (j % 86400)::int) AS at
          FROM generate_series(1, ${PAYMENTS / 5}::int) j) e`.execute(db);
  await sql`
    INSERT INTO request_logs (method, path, status, "timestamp")
    SELECT CASE WHEN j % 3 = 0 THEN 'GET' ELSE 'POST' END,
           (ARRAY['/api/webhooks/razorpay', '/api/subscriptions', '/api/blueprints', '/api/usage'])[j % 4 + 1],
           CASE WHEN j % 50 = 0 THEN 401 ELSE 200 END,
           now() - make_interval(secs => (j % 604800)::int)
    FROM generate_series(1, ${PAYMENTS}::int) j`.execute(db);
  await sql`ANALYZE`.execute(db);
}

/** Seeds PostgreSQL, EXPLAINs each query of one evaluation, and times RUNS evaluations. */
export async function runAlertsBench(): Promise<Record<string, number>> {
  const pg = await postgresDb(true, 4);
  const handle = createKysely(pg.url, { max: 4 });
  const queries: CompiledQuery[] = [];
  const logged = recordingKysely(handle.pool, queries);
  try {
    const { Migrator } = await import('../src/adapters/db/migrator.ts');
    const migrated = await new Migrator(handle.db).migrate();
    if (!migrated.ok) throw migrated.error;
    let t0 = performance.now();
    await seed(handle.db);
    const out: Record<string, number> = {
      payments: PAYMENTS,
      seed_s: Math.round(performance.now() - t0) / 1000,
    };
    const ctx = benchContext(logged, pg.url, 'http://127.0.0.1:9');
    await evaluateAlerts({ ctx });
    const selects = queries.filter((q) => /^select/i.test(q.sql) && !/for update/i.test(q.sql));
    for (const [i, q] of selects.entries()) {
      const plan = await explain(handle.pool, q);
      const from = /from "(\w+)"/i.exec(q.sql)?.[1] ?? '?';
      console.log(`q${i} ${from}: ${describePlan(plan)}`);
      out[`q${i}_${from}_ms`] = plan.ms;
    }
    const times: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      t0 = performance.now();
      await evaluateAlerts({ ctx });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out.evaluate_median_ms = Math.round((times[Math.floor(RUNS / 2)] ?? 0) * 10) / 10;
    out.evaluate_p95_ms = Math.round((times[Math.floor(RUNS * 0.95)] ?? 0) * 10) / 10;
    out.queries_per_evaluation = queries.length / (RUNS + 1);
    return out;
  } finally {
    await logged.destroy().catch(() => {});
    await pg.stop();
  }
}
