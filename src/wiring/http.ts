import type pg from 'pg';
import { tokensMatch } from '../adapters/auth/tokens.ts';
import type { Logger } from '../adapters/logger.ts';
import { createMetrics } from '../adapters/metrics/metrics.ts';
import type { AlertSpool } from '../domain/alert-rules.ts';
import type { Notify } from '../domain/notifications.ts';
import { createPolarisApp, type PolarisAppOptions } from '../interfaces/http/polaris-app.ts';
import type { ReleaseInfo } from '../interfaces/http/routes/health.ts';
import type { ServiceContext } from '../services/context.ts';
import { runEscalations } from '../services/escalation/run-escalations.ts';
import { getFlags } from '../services/flags/get-flags.ts';
import { revertExpiredFlags } from '../services/flags/revert-expired-flags.ts';
import { checkReadiness } from '../services/health/check-readiness.ts';
import { runMaintenanceWindows } from '../services/maintenance/run-maintenance-windows.ts';
import { readOperationalGauges } from '../services/metrics/read-operational-gauges.ts';
import { enqueueNotification } from '../services/notifications/enqueue-notification.ts';
import { runNotificationJobs } from '../services/notifications/run-notification-jobs.ts';
import type { ScheduledJob } from '../services/schedule/run-cron-tick.ts';
import { pruneRequestLogs } from '../services/security/prune-request-logs.ts';
import { recordComponentStates } from '../services/status/record-component-states.ts';
import { alertsJob } from './alerts.ts';

/** How long one cron tick may work; vercel.json gives the function 60 s. */
export const CRON_BUDGET_MS = 25_000;

/**
 * The periodic jobs each cron tick runs before the inbox, in order; `polaris start` runs the same
 * list on the scheduler's leader (wiring/scheduler.ts). On a serverless host the tick is their
 * only clock. Flags move first (expiry, maintenance windows), so the alert rules judge the modes
 * in force; escalations page through the outbox, whose delivery runs last. `notify` defaults to
 * the outbox; `alertSpool` is where a process that cannot reach the database records the outage.
 */
export function scheduledJobs(
  ctx: ServiceContext,
  settings: {
    requestLogRetentionDays?: number | undefined;
    notify?: Notify | undefined;
    alertSpool?: AlertSpool | undefined;
  },
): ScheduledJob[] {
  const notify: Notify = settings.notify ?? ((request) => enqueueNotification({ ctx, input: request }));
  const jobs: ScheduledJob[] = [
    { name: 'revert-expired-flags', run: () => revertExpiredFlags({ ctx }) },
    { name: 'maintenance-windows', run: () => runMaintenanceWindows({ ctx, input: { notify } }) },
    alertsJob(ctx, settings.alertSpool),
    { name: 'escalations', run: () => runEscalations({ ctx, input: { notify } }) },
    { name: 'record-component-states', run: () => recordComponentStates({ ctx }) },
    { name: 'notifications', run: () => runNotificationJobs({ ctx }) },
  ];
  const retentionDays = settings.requestLogRetentionDays;
  if (retentionDays !== undefined) {
    jobs.push({ name: 'prune-request-logs', run: () => pruneRequestLogs({ ctx, input: { retentionDays } }) });
  }
  return jobs;
}

/**
 * The product app with this process's metrics registry, as both `polaris start` and the Vercel
 * entry serve it. The metrics go to the inbox worker too (`onPass`).
 */
export function composeProductApp(
  ctx: ServiceContext,
  options: {
    log: Logger;
    release?: () => ReleaseInfo;
    /** CRON_SECRET; unset refuses every tick. */
    cronSecret: string | undefined;
    pool?: pg.Pool;
    cronBudgetMs?: number;
    requestLog?: PolarisAppOptions['requestLog'];
    /** REQUEST_LOG_RETENTION_DAYS, for the tick's pruning job. */
    requestLogRetentionDays?: number;
    /** This host's database-outage spool (none on a serverless host: no lasting disk). */
    alertSpool?: AlertSpool;
  },
) {
  const { pool } = options;
  const metrics = createMetrics({
    ...(pool && {
      pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    }),
    // polaris_flag_state{flag}: each flag's effective state (env override and expiry applied).
    flagStates: async () => {
      const view = await getFlags({ ctx });
      return Object.fromEntries(view.flags.map((flag) => [flag.name, flag.state === 'on']));
    },
    database: async () => {
      const read = await readOperationalGauges({ ctx });
      if (read.ok) return read.value;
      options.log.warn({ err: read.error }, 'metrics scrape without the database');
      return null;
    },
  });
  const app = createPolarisApp(ctx, {
    log: options.log,
    readiness: () => checkReadiness({ ctx }),
    release: options.release,
    requestLog: options.requestLog,
    metrics,
    cron: {
      // Vercel Cron sends CRON_SECRET; an operator can tick by hand with ADMIN_TOKEN.
      authorize: (token) => tokensMatch(token, options.cronSecret) || ctx.accounts.isAdminToken(token),
      budgetMs: options.cronBudgetMs ?? CRON_BUDGET_MS,
      jobs: scheduledJobs(ctx, {
        requestLogRetentionDays: options.requestLogRetentionDays,
        alertSpool: options.alertSpool,
      }),
      onPass: (outcome) => metrics.countProcessing(outcome),
    },
  });
  return { app, metrics };
}
