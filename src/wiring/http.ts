import type pg from 'pg';
import { tokensMatch } from '../adapters/auth/accounts.ts';
import type { Logger } from '../adapters/logger.ts';
import { createMetrics } from '../adapters/metrics/metrics.ts';
import { createPolarisApp } from '../interfaces/http/polaris-app.ts';
import type { ReleaseInfo } from '../interfaces/http/routes/health.ts';
import type { ServiceContext } from '../services/context.ts';
import { checkReadiness } from '../services/health/check-readiness.ts';
import { readOperationalGauges } from '../services/metrics/read-operational-gauges.ts';
import type { ScheduledJob } from '../services/schedule/run-cron-tick.ts';

/** How long one cron tick may work; vercel.json gives the function 60 s. */
export const CRON_BUDGET_MS = 25_000;

/**
 * The periodic jobs each cron tick runs before the inbox, in order. The seam for work that lands
 * in other branches: "revert expired flags", request-log pruning, ... each one entry here.
 */
export function scheduledJobs(_ctx: ServiceContext): ScheduledJob[] {
  return [];
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
  },
) {
  const { pool } = options;
  const metrics = createMetrics({
    ...(pool && {
      pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    }),
    // polaris_flag_state{flag}: the flags service's reader (flag name -> on) goes here; none yet.
    flagStates: async () => ({}),
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
    metrics,
    cron: {
      // Vercel Cron sends CRON_SECRET; an operator can tick by hand with ADMIN_TOKEN.
      authorize: (token) => tokensMatch(token, options.cronSecret) || ctx.accounts.isAdminToken(token),
      budgetMs: options.cronBudgetMs ?? CRON_BUDGET_MS,
      jobs: scheduledJobs(ctx),
      onPass: (outcome) => metrics.countProcessing(outcome),
    },
  });
  return { app, metrics };
}
