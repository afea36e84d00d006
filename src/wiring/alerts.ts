import { join } from 'node:path';
import { createAlertSpool } from '../adapters/alerts/spool.ts';
import type { AlertSpool } from '../domain/alert-rules.ts';
import { evaluateAlerts } from '../services/alerts/evaluate-alerts.ts';
import type { ServiceContext } from '../services/context.ts';
import type { ScheduledJob } from '../services/schedule/run-cron-tick.ts';

/** This host's database-unreachable spool: POLARIS_DATA_DIR/alerts/database-unreachable.json. */
export function alertSpoolFor(dataDir: string): AlertSpool {
  return createAlertSpool(join(dataDir, 'alerts'));
}

/** The alert rules as a scheduled job (scheduledJobs() in wiring/http.ts; the scheduler's loop). */
export function alertsJob(ctx: ServiceContext, spool: AlertSpool | undefined): ScheduledJob {
  return { name: 'evaluate-alerts', run: () => evaluateAlerts({ ctx, input: { spool } }) };
}
